package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerTest {

    @Test
    void push_default_startsEveryBranchAndTag() {
        Trigger push = Trigger.push();

        assertThat(push.kind()).isEqualTo(Trigger.Kind.PUSH);
        assertThat(push.name()).isEmpty();
        assertThat(push.cron()).isEmpty();
        assertThat(push.accepts(Ref.branch("feature/x"))).isTrue();
        assertThat(push.accepts(Ref.tag("v1.0.0"))).isTrue();
        assertThat(Trigger.push()).isSameAs(push);
    }

    @Test
    void push_withFilter_startsFromEveryBranchAndNoTagThenFiltered() {
        Trigger push = Trigger.push(f -> f.ignoreBranches("/dependabot\\/.*/"));

        assertThat(push.accepts(Ref.branch("master"))).isTrue();
        assertThat(push.accepts(Ref.branch("dependabot/npm/x"))).isFalse();
        assertThat(push.accepts(Ref.tag("v1"))).isFalse();
        assertThat(push).hasToString("push (branches ignoring [/dependabot\\/.*/])");
    }

    @Test
    void push_invalidFilter_reportsFilterPath() {
        Problem p = Rejected.problem(() -> Trigger.push(f -> f.onlyTags("/v[/")));

        assertThat(p.path()).isEqualTo("filter > tags.only");
        assertThat(p.message()).startsWith("invalid regular expression /v[/");
        assertThat(Rejected.problem(() -> Trigger.push(null)).path()).isEqualTo("filter");
    }

    @Test
    void schedule_valid_runsOnItsBranchesOnly() {
        Trigger nightly = Trigger.schedule("nightly", " 0 2 * * 1-5 ", "master", "/release-.*/");

        assertThat(nightly.kind()).isEqualTo(Trigger.Kind.SCHEDULE);
        assertThat(nightly.name()).contains("nightly");
        assertThat(nightly.cron()).contains("0 2 * * 1-5");
        assertThat(nightly.accepts(Ref.branch("master"))).isTrue();
        assertThat(nightly.accepts(Ref.branch("release-2"))).isTrue();
        assertThat(nightly.accepts(Ref.branch("development"))).isFalse();
        assertThat(nightly.accepts(Ref.tag("master"))).isFalse();
        assertThat(nightly).isEqualTo(Trigger.schedule("nightly", "0 2 * * 1-5", "master", "/release-.*/"));
        assertThat(nightly.toString()).startsWith("schedule 'nightly' 0 2 * * 1-5");
    }

    @Test
    void schedule_cronWithoutFiveFields_reportsCronWithExample() {
        for (String cron : List.of("0 2 * *", "0 2 * * * *", "", "@daily", "0 2 * * MON")) {
            Problem p = Rejected.problem(() -> Trigger.schedule("nightly", cron, "master"));

            assertThat(p.path()).isEqualTo("cron");
            assertThat(p.message()).isEqualTo("'" + cron + "' is not a five-field cron expression.");
            assertThat(p.fix()).contains("\"0 2 * * *\"");
        }
    }

    @Test
    void schedule_withoutBranches_reportsBranches() {
        InvalidPipelineException e = Rejected.by(() -> Trigger.schedule("nightly", "0 2 * * *"));

        assertThat(e.subject()).isEqualTo("Schedule trigger 'nightly'");
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("branches");
            assertThat(p.message()).isEqualTo("no branch was given.");
        });
    }

    @Test
    void schedule_invalidBranchPattern_reportsBranches() {
        Problem p = Rejected.problem(() -> Trigger.schedule("nightly", "0 2 * * *", "/release-[/"));

        assertThat(p.path()).startsWith("branches");
        assertThat(p.message()).startsWith("invalid regular expression /release-[/");
    }

    @Test
    void schedule_nulls_reportedWithPathsNotThrown() {
        assertThat(Rejected.problems(() -> Trigger.schedule(null, null, (String) null)))
                .extracting(Problem::path).containsExactly("name", "cron", "branches > branches.only");
        assertThat(Rejected.problem(() -> Trigger.schedule("n", "0 2 * * *", (String[]) null)).message())
                .isEqualTo("null given.");
    }

    @Test
    void schedule_invalidName_reportsNameRule() {
        Problem p = Rejected.problem(() -> Trigger.schedule("every night", "0 2 * * *", "master"));

        assertThat(p.path()).isEqualTo("name");
        assertThat(p.message()).isEqualTo("'every night' is not a valid name.");
    }
}
