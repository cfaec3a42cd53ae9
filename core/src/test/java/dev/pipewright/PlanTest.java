package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlanTest {

    @Test
    void of_master_runsStagingAndProductionNotDevelopment() {
        Plan plan = Plan.of(HousingApiFixture.pipeline(), Ref.branch("master"));

        assertThat(plan.ref()).isEqualTo(Ref.branch("master"));
        assertThat(plan.running()).extracting(e -> e.stage().name()).containsExactly("check-formatting",
                "build-and-test", "deploy-staging", "deploy-production", "publish-api-definition");
        assertThat(plan.running()).allSatisfy(e -> assertThat(e.reason()).isEmpty());
        assertThat(plan.skipped()).singleElement().satisfies(e -> {
            assertThat(e.stage().name()).isEqualTo("deploy-development");
            assertThat(e.reason()).contains(
                    "environment 'development' (branches only [development]) excludes branch master");
        });
        assertThat(plan.entries()).hasSize(6);
        assertThat(plan.runs("deploy-production")).isTrue();
        assertThat(plan.runs("deploy-development")).isFalse();
        assertThat(plan.runs("no-such-stage")).isFalse();
    }

    @Test
    void of_featureBranch_runsOnlyTheBuild() {
        Plan plan = Plan.of(HousingApiFixture.pipeline(), Ref.branch("feature/login"));

        assertThat(plan.running()).extracting(e -> e.stage().name())
                .containsExactly("check-formatting", "build-and-test");
        assertThat(plan.entries().get(5).stage().name()).isEqualTo("publish-api-definition");
        assertThat(plan.entries().get(5).reason()).contains(
                "environment 'production' (branches only [master]) excludes branch feature/login");
    }

    @Test
    void of_stageFilterExcludes_saysWhichFilter() {
        Pipeline p = Pipeline.named("p").stage("deploy", s -> s.branches("master").run("x")).build();

        Plan.Entry entry = Plan.of(p, Ref.branch("development")).entries().get(0);

        assertThat(entry.runs()).isFalse();
        assertThat(entry.reason()).contains("its filter (branches only [master]) excludes branch development");
    }

    @Test
    void of_needsASkippedStage_saysWhichNeed() {
        Pipeline p = Pipeline.named("p")
                .stage("build", s -> s.branches("master", "development").run("x"))
                .stage("deploy", s -> s.needs("build").branches("master").run("x"))
                .stage("smoke-test", s -> s.needs("deploy").run("x"))
                .build();

        Plan plan = Plan.of(p, Ref.branch("development"));

        assertThat(plan.running()).extracting(e -> e.stage().name()).containsExactly("build");
        assertThat(plan.skipped()).extracting(Plan.Entry::reason).containsExactly(
                Optional.of("its filter (branches only [master]) excludes branch development"),
                Optional.of("it needs 'deploy', which is skipped"));
    }

    @Test
    void of_changedPaths_skipPathFilteredStagesAndWhatNeedsThem() {
        Pipeline p = Pipeline.named("mono")
                .stage("payments", s -> s.whenChanged("services/payments/**", "!**/*.md").run("make -C payments"))
                .stage("payments-deploy", s -> s.needs("payments").run("make -C payments deploy"))
                .stage("always", s -> s.run("make lint"))
                .build();

        Plan docsOnly = Plan.of(p, Ref.branch("main"), java.util.List.of("services/payments/README.md"));
        Plan code = Plan.of(p, Ref.branch("main"), java.util.List.of("services/payments/src/Pay.java"));

        assertThat(docsOnly.runs("payments")).isFalse();
        assertThat(docsOnly.runs("payments-deploy")).isFalse();
        assertThat(docsOnly.runs("always")).isTrue();
        assertThat(docsOnly.skipped().get(0).reason()).hasValueSatisfying(r -> assertThat(r)
                .contains("none of the 1 changed paths matches its whenChanged"));
        assertThat(code.runs("payments")).isTrue();
        assertThat(Plan.of(p, Ref.branch("main")).runs("payments")).as("unknown changes run everything").isTrue();
    }

    @Test
    void of_tagPushWithoutTagFilter_skipsWithReason() {
        Pipeline p = Pipeline.named("p")
                .stage("build", s -> s.tags("/v.*/").run("x"))
                .stage("lint", s -> s.run("x"))
                .build();

        Plan plan = Plan.of(p, Ref.tag("v1.0.0"));

        assertThat(plan.runs("build")).isTrue();
        assertThat(plan.skipped()).singleElement().satisfies(e -> {
            assertThat(e.stage().name()).isEqualTo("lint");
            assertThat(e.reason()).contains("it has no tag filter, and tag pushes run only stages that have one");
        });
    }

    @Test
    void of_tagNotMatchingTagFilter_skipsWithFilterReason() {
        Pipeline p = Pipeline.named("p").stage("release", s -> s.tags("/v.*/").run("x")).build();

        assertThat(Plan.of(p, Ref.tag("nightly")).entries().get(0).reason())
                .contains("its filter (all branches, tags only [/v.*/]) excludes tag nightly");
    }

    @Test
    void of_noTriggerStartsThePipeline_skipsEveryStage() {
        Pipeline p = Pipeline.named("p").trigger(Trigger.schedule("nightly", "0 2 * * *", "master"))
                .stage("build", s -> s.run("x"))
                .stage("report", s -> s.needs("build").run("x"))
                .build();

        Plan plan = Plan.of(p, Ref.branch("development"));

        assertThat(plan.running()).isEmpty();
        assertThat(plan.skipped()).extracting(Plan.Entry::reason).containsOnly(
                Optional.of("no trigger starts the pipeline for branch development"));
        assertThat(Plan.of(p, Ref.branch("master")).running()).hasSize(2);
    }

    @Test
    void of_everyPushTrigger_runsTagPushesForStagesWithTagFilters() {
        Pipeline p = Pipeline.named("p").trigger(Trigger.push(f -> f.onlyBranches("master")))
                .stage("release", s -> s.tags("/v.*/").run("x"))
                .build();

        assertThat(Plan.of(p, Ref.tag("v1")).entries().get(0).reason())
                .contains("no trigger starts the pipeline for tag v1");
        assertThat(Plan.of(p.toBuilder().trigger(Trigger.push()).build(), Ref.tag("v1")).runs("release")).isTrue();
    }

    @Test
    void pipeline_isThePlannedOne() {
        Pipeline api = HousingApiFixture.pipeline();

        assertThat(Plan.of(api, Ref.branch("master")).pipeline()).isSameAs(api);
    }
}
