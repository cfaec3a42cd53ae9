package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowTest {

    private static final String FULL = """
            version: 2.1
            workflows:
              nightly:
                unless: << pipeline.parameters.manual >>
                max_auto_reruns: 2
                triggers:
                  - schedule:
                      cron: "0 4 * * *"
                      filters:
                        branches:
                          only: main
                jobs:
                  - build
            """;

    @Test
    void parse_everyKey_isTyped() {
        Workflow nightly = Configs.read(FULL).workflows().get("nightly");

        assertThat(nightly.unless()).contains(Condition.literal("<< pipeline.parameters.manual >>"));
        assertThat(nightly.when()).isEmpty();
        assertThat(nightly.maxAutoReruns()).contains(Interpolable.of(2));
        Schedule schedule = nightly.triggers().get(0).schedule();
        assertThat(schedule.cron()).contains("0 4 * * *");
        assertThat(schedule.filters().orElseThrow().branches().orElseThrow().only()).containsExactly("main");
        assertThat(nightly.jobs()).containsExactly(WorkflowJob.of("build"));
    }

    @Test
    void build_everyKey_writesWhatParses() {
        Workflow nightly = Workflow.builder()
                .unless(Condition.literal("<< pipeline.parameters.manual >>"))
                .maxAutoReruns(2)
                .addTrigger(WorkflowTrigger.schedule(Schedule.builder().cron("0 4 * * *")
                        .filters(Filters.branches(Patterns.only("main"))).build()))
                .addJob("build")
                .build();

        assertThat(CircleCiConfig.builder().version(Version.V2_1).putWorkflow("nightly", nightly).build())
                .isEqualTo(Configs.read(FULL));
    }

    @Test
    void parse_triggerWithoutASchedule_keepsTheTriggersWithAWarning() {
        CircleCiConfig config = Configs.read("workflows:\n  w:\n    jobs: [a]\n    triggers: [{cron: x}]\n");

        Workflow w = config.workflows().get("w");
        assertThat(w.triggers()).isEmpty();
        assertThat(w.extra()).containsOnlyKeys("triggers");
        assertThat(config.warnings()).singleElement().asString()
                .contains("[0] is a mapping, not a mapping with a schedule");
    }

    @Test
    void parse_workflowJobsOfAnotherShape_keepTheListWithAWarning() {
        CircleCiConfig config = Configs.read("""
                workflows:
                  w:
                    jobs:
                      - build:
                        requires: [test]
                """);

        assertThat(config.workflows().get("w").jobs()).isEmpty();
        assertThat(config.workflows().get("w").extra()).containsOnlyKeys("jobs");
        assertThat(config.warnings()).singleElement().asString().contains("workflows.w.jobs: expected a list of job"
                + " invocations but [0] is a mapping, not a job name, or a one-key mapping of a job name to its keys");
    }

    @Test
    void jobs_emptyList_isKept() {
        Workflow w = Workflow.builder().jobs(List.of()).build();

        assertThat(w.toData()).containsEntry("jobs", List.of());
        assertThat(Configs.read("workflows: {w: {jobs: []}}").workflows().get("w")).isEqualTo(w);
    }
}
