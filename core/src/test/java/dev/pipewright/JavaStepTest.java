package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JavaStepTest {
    private static final JavaStep.Action NOTHING = ctx -> { };

    @Test
    void of_nameAndAction_keepsThem() {
        Permission get = Permission.of("lambda:GetFunction", "*");
        JavaStep step = JavaStep.of("smoke-test", NOTHING, List.of(get));

        assertThat(step.type()).isEqualTo("java");
        assertThat(step.name()).isEqualTo("smoke-test");
        assertThat(step.action()).isSameAs(NOTHING);
        assertThat(step.permissions()).containsExactly(get);
        assertThat(step.parameters()).isEqualTo(Map.of("name", "smoke-test"));
        assertThat(step).hasToString("java 'smoke-test'");
    }

    @Test
    void equals_sameActionObject_equal() {
        assertThat(JavaStep.of("a", NOTHING)).isEqualTo(JavaStep.of("a", NOTHING));
        assertThat(JavaStep.of("a", NOTHING)).isNotEqualTo(JavaStep.of("a", ctx -> { }));
    }

    @Test
    void of_invalidName_reportsNameRule() {
        Problem p = Rejected.problem(() -> JavaStep.of("smoke test", NOTHING));

        assertThat(p.path()).isEqualTo("name");
        assertThat(p.message()).isEqualTo("'smoke test' is not a valid name.");
    }

    @Test
    void of_nulls_reportedWithPathsNotThrown() {
        List<Permission> withNull = new ArrayList<>();
        withNull.add(null);

        assertThat(Rejected.problems(() -> JavaStep.of(null, null))).extracting(Problem::path)
                .containsExactly("name", "action");
        assertThat(Rejected.problem(() -> JavaStep.of("a", NOTHING, null)).path()).isEqualTo("permissions");
        assertThat(Rejected.problem(() -> JavaStep.of("a", NOTHING, withNull)).message())
                .isEqualTo("null element given.");
    }
}
