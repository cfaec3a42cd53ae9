package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrbStepTest {

    @Test
    void of_command_splitsAlias() {
        OrbStep step = OrbStep.of("aws-cli/setup");

        assertThat(step.type()).isEqualTo("circleci.orb");
        assertThat(step.name()).isEqualTo("aws-cli/setup");
        assertThat(step.alias()).isEqualTo("aws-cli");
        assertThat(step.arguments()).isEmpty();
        assertThat(step).hasToString("orb step 'aws-cli/setup'");
    }

    @Test
    void of_arguments_keptInOrderAsStringsBooleansAndWholeNumbers() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("role_arn", "${DEPLOY_ROLE_ARN}");
        args.put("verbose", true);
        args.put("retries", 3);
        args.put("max_bytes", 4_000_000_000L);

        OrbStep step = OrbStep.of("aws-cli/setup", args);

        assertThat(step.arguments()).containsExactlyEntriesOf(args);
        assertThat(step.parameters()).containsExactly(Map.entry("command", "aws-cli/setup"),
                Map.entry("arguments.role_arn", "${DEPLOY_ROLE_ARN}"), Map.entry("arguments.verbose", "true"),
                Map.entry("arguments.retries", "3"), Map.entry("arguments.max_bytes", "4000000000"));
        assertThat(step).isEqualTo(OrbStep.of("aws-cli/setup", args));
    }

    @Test
    void of_badCommand_reportsAliasSlashCommand() {
        for (String bad : List.of("setup", "aws-cli/", "/setup", "aws cli/setup", "a/b/c")) {
            Problem p = Rejected.problem(() -> OrbStep.of(bad));

            assertThat(p.path()).isEqualTo("command");
            assertThat(p.message()).isEqualTo("'" + bad + "' is not an orb command.");
            assertThat(p.fix()).contains("alias/command");
        }
    }

    @Test
    void of_badArgumentTypes_reportEachWithItsPath() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("ratio", 0.5);
        args.put("items", List.of("a"));
        args.put("ok", "fine");

        InvalidPipelineException e = Rejected.by(() -> OrbStep.of("aws-cli/setup", args));

        assertThat(e.subject()).isEqualTo("Orb step 'aws-cli/setup'");
        assertThat(e.problems()).extracting(Problem::path, Problem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("arguments.ratio", "a Double was given: 0.5."),
                org.assertj.core.groups.Tuple.tuple("arguments.items", "a list was given: [a]."));
    }

    @Test
    void of_nulls_reportedWithPathsNotThrown() {
        Map<String, Object> nullValue = new HashMap<>();
        nullValue.put("role_arn", null);

        assertThat(Rejected.problems(() -> OrbStep.of(null, null))).extracting(Problem::path)
                .containsExactly("command", "arguments");
        assertThat(Rejected.problem(() -> OrbStep.of("aws-cli/setup", nullValue)).message())
                .isEqualTo("a null key or value was given.");
    }
}
