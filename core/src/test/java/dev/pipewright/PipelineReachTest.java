package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Stages whose filters, with those of the stages they need and the triggers, let nothing through. */
class PipelineReachTest {

    @Test
    void build_deployOnMasterNeedingStageOnDevelopment_reportsTheDeploy() {
        Problem p = Rejected.problem(() -> Pipeline.named("p")
                .stage("build", s -> s.branches("development").run("x"))
                .stage("deploy", s -> s.needs("build").branches("master").run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'deploy'");
        assertThat(p.message()).isEqualTo("the stage can never run: no branch or tag passes its own filter"
                + " (branches only [master]), needs 'build' (branches [development], no tag).");
        assertThat(p.fix()).isEqualTo(
                "Make its filter, its environment's and those of the stages it needs share a branch or tag.");
    }

    @Test
    void build_stagesAfterOneThatCanNeverRun_onlyTheRootCauseReported() {
        Problem p = Rejected.problem(() -> Pipeline.named("p")
                .stage("build", s -> s.branches("development").run("x"))
                .stage("deploy", s -> s.needs("build").branches("master").run("x"))
                .stage("smoke-test", s -> s.needs("deploy").run("x"))
                .stage("announce", s -> s.needs("smoke-test").branches("master").run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'deploy'");
    }

    @Test
    void build_needsRunningOnDisjointBranches_reportsTheStageNeedingBoth() {
        Problem p = Rejected.problem(() -> Pipeline.named("p")
                .stage("a", s -> s.branches("development").run("x"))
                .stage("b", s -> s.branches("master").run("x"))
                .stage("c", s -> s.needs("a", "b").run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'c'");
        assertThat(p.message()).contains("needs 'a' (branches [development], no tag)")
                .contains("needs 'b' (branches [master], no tag)");
    }

    @Test
    void build_stageFilterExcludingItsEnvironment_reported() {
        Environment production = Environment.named("production").branches("master").build();

        Problem p = Rejected.problem(() -> Pipeline.named("p").environment(production)
                .stage("deploy", s -> s.in(production).branches("development").run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'deploy'");
        assertThat(p.message()).isEqualTo("the stage can never run: no branch or tag passes its own filter"
                + " (branches only [development]), environment 'production' (branches only [master]).");
    }

    @Test
    void build_ownFiltersExcludeEverything_reported() {
        Problem p = Rejected.problem(() -> Pipeline.named("p")
                .stage("deploy", s -> s.filter(f -> f.onlyBranches("master").ignoreBranches("master")).run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'deploy'");
        assertThat(p.message()).isEqualTo("the stage can never run: no branch or tag passes its own filter"
                + " (branches only [master], branches ignoring [master]).");
    }

    @Test
    void build_noTriggerStartsTheStagesBranches_reportedWithTheTriggers() {
        Problem p = Rejected.problem(() -> Pipeline.named("p")
                .trigger(Trigger.schedule("nightly", "0 2 * * *", "master"))
                .stage("deploy", s -> s.branches("development").run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'deploy'");
        assertThat(p.message()).contains("triggers [schedule 'nightly' 0 2 * * *");
    }

    @Test
    void build_releaseOnTagsNeedingStageWithoutTagFilter_reportsTheRelease() {
        // The classic CircleCI mistake: a tag push skips 'build' (no tag filter), so 'release' never runs.
        Problem p = Rejected.problem(() -> Pipeline.named("p")
                .stage("build", s -> s.run("x"))
                .stage("release", s -> s.needs("build").filter(f -> f.ignoreBranches("/.*/").onlyTags("/v.*/"))
                        .run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'release'");
        assertThat(p.message()).contains("needs 'build' (branches matching its filters, no tag)");
    }

    @Test
    void build_releaseOnTagsNeedingStageWithTagFilter_valid() {
        Pipeline p = Pipeline.named("p")
                .stage("build", s -> s.tags("/.*/").run("x"))
                .stage("release", s -> s.needs("build").filter(f -> f.ignoreBranches("/.*/").onlyTags("/v.*/"))
                        .run("x"))
                .build();

        assertThat(Plan.of(p, Ref.tag("v1.0.0")).runs("release")).isTrue();
    }

    @Test
    void build_filtersBoundOnlyByRegexes_notReported() {
        // Whether /release-.*/ and /hotfix-.*/ share a name is not decided: no false alarms.
        Pipeline p = Pipeline.named("p")
                .stage("build", s -> s.branches("/release-.*/").run("x"))
                .stage("deploy", s -> s.needs("build").branches("/hotfix-.*/").run("x"))
                .build();

        assertThat(p.stages()).hasSize(2);
    }

    @Test
    void build_filtersSharingABranch_valid() {
        Pipeline p = Pipeline.named("p")
                .stage("build", s -> s.branches("development", "master").run("x"))
                .stage("deploy", s -> s.needs("build").branches("master").run("x"))
                .stage("check", s -> s.needs("deploy").filter(f -> f.ignoreBranches("development")).run("x"))
                .build();

        assertThat(p.stages()).extracting(Stage::name).containsExactly("build", "deploy", "check");
    }

    @Test
    void build_housingApi_everyStageCanRun() {
        List<Stage> stages = HousingApiFixture.pipeline().stages();

        assertThat(stages).hasSize(6);
    }
}
