package dev.pipewright.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.Environment;
import dev.pipewright.Filter;
import dev.pipewright.Ref;
import dev.pipewright.Stage;
import dev.pipewright.Trigger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ReachTest {
    private static final Trigger NIGHTLY_ON_MAIN = Trigger.schedule("nightly", "0 2 * * *", "main");

    private static Stage stage(String name, Consumer<Stage.Builder> details) {
        Stage.Builder b = Stage.named(name).run("./go");
        details.accept(b);
        return b.build();
    }

    private static Stage stage(String name) {
        return stage(name, s -> { });
    }

    private static Reach reach(List<Trigger> triggers, Stage... stages) {
        Map<String, Stage> byName = new LinkedHashMap<>();
        for (Stage s : stages) {
            byName.put(s.name(), s);
        }
        return Reach.of(byName, triggers);
    }

    private static Reach reach(Stage... stages) {
        return reach(List.of(), stages);
    }

    // ------------------------------------------------------------ constraints

    @Test
    void constraints_holdOwnEnvironmentAndEveryUpstreamFilter() {
        Environment production = Environment.named("production").branches("main").build();
        Stage build = stage("build", s -> s.branches("main", "develop"));
        Stage deploy = stage("deploy", s -> s.needs("build").in(production));
        Stage smoke = stage("smoke", s -> s.needs("deploy").tags("v1"));

        Reach reach = reach(build, deploy, smoke);

        assertThat(reach.constraints("smoke")).containsExactlyInAnyOrder(smoke.filter(), Filter.allBranches(),
                production.filter(), build.filter());
        assertThat(reach.constraints("build")).containsExactly(build.filter());
    }

    @Test
    void constraints_ofNeedOnUnknownStage_addNothing() {
        Reach reach = reach(stage("test", s -> s.needs("ghost").branches("main")));

        assertThat(reach.constraints("test")).containsExactly(Filter.branches("main"));
        assertThat(reach.names("test", Ref.Kind.BRANCH)).contains(Set.of("main"));
    }

    @Test
    void constraints_askedTwice_areTheSame() {
        Reach reach = reach(stage("a", s -> s.branches("main")), stage("b", s -> s.needs("a")));

        assertThat(reach.constraints("b")).isSameAs(reach.constraints("b"));
    }

    // ------------------------------------------------------------ finite names

    @Test
    void names_throughNeeds_areTheExactNamesEveryFilterAccepts() {
        Reach reach = reach(stage("build", s -> s.branches("main", "develop")),
                stage("deploy", s -> s.needs("build").branches("main", "release")));

        assertThat(reach.names("build", Ref.Kind.BRANCH)).contains(Set.of("main", "develop"));
        assertThat(reach.names("deploy", Ref.Kind.BRANCH)).contains(Set.of("main"));
    }

    @Test
    void names_throughEnvironment_areNarrowedByItsFilter() {
        Environment production = Environment.named("production").branches("main").build();

        Reach reach = reach(stage("deploy", s -> s.in(production)));

        assertThat(reach.names("deploy", Ref.Kind.BRANCH)).contains(Set.of("main"));
    }

    @Test
    void names_leaveOutIgnoredBranches() {
        Reach reach = reach(stage("deploy", s -> s.branches("main", "develop")
                .filter(f -> f.ignoreBranches("/dev.*/"))));

        assertThat(reach.names("deploy", Ref.Kind.BRANCH)).contains(Set.of("main"));
    }

    @Test
    void names_boundedOnlyByRegularExpressions_areUnknown() {
        Reach reach = reach(stage("free"), stage("releases", s -> s.branches("/release-.*/")));

        assertThat(reach.names("free", Ref.Kind.BRANCH)).isEmpty();
        assertThat(reach.names("releases", Ref.Kind.BRANCH)).isEmpty();
    }

    @Test
    void names_exactListNarrowedByARegularExpressionUpstream() {
        Reach reach = reach(stage("build", s -> s.branches("/ma.*/")),
                stage("deploy", s -> s.needs("build").branches("main", "develop")));

        assertThat(reach.names("deploy", Ref.Kind.BRANCH)).contains(Set.of("main"));
    }

    // ------------------------------------------------------------ tags

    @Test
    void tags_withoutTagFilter_none() {
        Reach reach = reach(stage("build", s -> s.branches("main")));

        assertThat(reach.names("build", Ref.Kind.TAG)).contains(Set.of());
        assertThat(reach.runsOn("build", Ref.tag("main"))).isFalse();
    }

    @Test
    void tags_exactTagFilter_namesThem_andBranchFiltersSayNothingAboutTags() {
        Reach reach = reach(stage("release", s -> s.branches("main").tags("v1", "v2")));

        assertThat(reach.names("release", Ref.Kind.TAG)).contains(Set.of("v1", "v2"));
        assertThat(reach.runsOn("release", Ref.tag("v1"))).isTrue();
        assertThat(reach.runsOn("release", Ref.tag("v3"))).isFalse();
        assertThat(reach.runsOn("release", Ref.branch("v1"))).isFalse();
    }

    @Test
    void tags_regexTagFilter_unknown() {
        Reach reach = reach(stage("release", s -> s.tags("/v.*/")));

        assertThat(reach.names("release", Ref.Kind.TAG)).isEmpty();
        assertThat(reach.runsOn("release", Ref.tag("v9"))).isTrue();
    }

    @Test
    void tags_needWithoutTagFilter_keepsTagsFromTheStage() {
        Reach reach = reach(stage("build"), stage("release", s -> s.needs("build").tags("v1")));

        assertThat(reach.names("release", Ref.Kind.TAG)).contains(Set.of());
        assertThat(reach.runsOn("release", Ref.tag("v1"))).isFalse();
    }

    @Test
    void tags_needWithTagFilter_letsThemThrough() {
        Reach reach = reach(stage("build", s -> s.tags("/v.*/")), stage("release", s -> s.needs("build").tags("v1")));

        assertThat(reach.names("release", Ref.Kind.TAG)).contains(Set.of("v1"));
        assertThat(reach.runsOn("release", Ref.tag("v1"))).isTrue();
    }

    @Test
    void tags_environmentWithoutTagFilter_shutsThemOut() {
        Environment production = Environment.named("production").branches("main").build();

        Reach reach = reach(stage("deploy", s -> s.in(production).tags("v1")));

        assertThat(reach.names("deploy", Ref.Kind.TAG)).contains(Set.of());
    }

    // ------------------------------------------------------------ canRun

    @Test
    void canRun_disjointExactBranches_false() {
        Reach reach = reach(stage("build", s -> s.branches("main")),
                stage("deploy", s -> s.needs("build").branches("develop")));

        assertThat(reach.canRun("build")).isTrue();
        assertThat(reach.canRun("deploy")).isFalse();
    }

    @Test
    void canRun_tagOnlyStage_true() {
        Reach reach = reach(stage("release", s -> s.filter(f -> f.ignoreBranches("/.*/").onlyTags("v1"))));

        // ignoreBranches("/.*/") is known to leave no branch; the tag keeps the stage alive.
        assertThat(reach.names("release", Ref.Kind.BRANCH)).contains(Set.of());
        assertThat(reach.canRun("release")).isTrue();
    }

    @Test
    void canRun_contradictoryRegularExpressions_stillTrue_noFalseAlarm() {
        Reach reach = reach(stage("build", s -> s.branches("/x.*/")),
                stage("deploy", s -> s.needs("build").branches("/y.*/")));

        assertThat(reach.canRun("deploy")).isTrue();
        assertThat(reach.runsOn("deploy", Ref.branch("xy"))).isFalse();
    }

    // ------------------------------------------------------------ triggers

    @Test
    void triggers_none_meanEveryPushOfBranchesAndTags() {
        Reach reach = reach(stage("release", s -> s.tags("v1")));

        assertThat(reach.runsOn("release", Ref.tag("v1"))).isTrue();
        assertThat(reach.runsOn("release", Ref.branch("anything"))).isTrue();
        assertThat(reach.names("release", Ref.Kind.TAG)).contains(Set.of("v1"));
    }

    @Test
    void triggers_scheduleOnly_restrictBranchesAndExcludeTags() {
        Reach reach = reach(List.of(NIGHTLY_ON_MAIN), stage("test", s -> s.tags("v1")),
                stage("develop-only", s -> s.branches("develop")));

        assertThat(reach.names("test", Ref.Kind.BRANCH)).contains(Set.of("main"));
        assertThat(reach.names("test", Ref.Kind.TAG)).contains(Set.of());
        assertThat(reach.runsOn("test", Ref.branch("develop"))).isFalse();
        assertThat(reach.runsOn("test", Ref.tag("v1"))).isFalse();
        assertThat(reach.canRun("develop-only")).isFalse();
    }

    @Test
    void triggers_pushOfSomeBranches_restrictUnfilteredStages() {
        Trigger push = Trigger.push(f -> f.onlyBranches("main", "release"));

        Reach reach = reach(List.of(push), stage("test"));

        assertThat(reach.names("test", Ref.Kind.BRANCH)).contains(Set.of("main", "release"));
        assertThat(reach.names("test", Ref.Kind.TAG)).contains(Set.of());
    }

    @Test
    void triggers_pushIgnoringTheStagesOnlyBranch_makeItUnrunnable() {
        Reach reach = reach(List.of(Trigger.push(f -> f.ignoreBranches("main"))),
                stage("deploy", s -> s.branches("main")));

        assertThat(reach.names("deploy", Ref.Kind.BRANCH)).contains(Set.of());
        assertThat(reach.canRun("deploy")).isFalse();
    }

    @Test
    void triggers_several_addUp() {
        Reach reach = reach(List.of(NIGHTLY_ON_MAIN, Trigger.push(f -> f.onlyBranches("develop"))), stage("test"));

        assertThat(reach.names("test", Ref.Kind.BRANCH)).contains(Set.of("develop", "main"));
    }

    @Test
    void triggers_oneWithARegularExpression_leaveNamesUnknown() {
        Reach reach = reach(List.of(NIGHTLY_ON_MAIN, Trigger.push(f -> f.onlyBranches("/release-.*/"))),
                stage("test"));

        assertThat(reach.names("test", Ref.Kind.BRANCH)).isEmpty();
        assertThat(reach.runsOn("test", Ref.branch("release-2"))).isTrue();
        assertThat(reach.runsOn("test", Ref.branch("develop"))).isFalse();
    }

    // ------------------------------------------------------------ mayRunTogether

    @Test
    void mayRunTogether_disjointExactBranches_false() {
        Reach reach = reach(stage("a", s -> s.branches("main")), stage("b", s -> s.branches("develop")));

        assertThat(reach.mayRunTogether("a", "b")).isFalse();
        assertThat(reach.mayRunTogether("b", "a")).isFalse();
    }

    @Test
    void mayRunTogether_exactNameMatchedByTheOthersRegex_true() {
        Reach reach = reach(stage("a", s -> s.branches("main")), stage("b", s -> s.branches("/ma.*/")));

        assertThat(reach.mayRunTogether("a", "b")).isTrue();
        assertThat(reach.mayRunTogether("b", "a")).isTrue();
    }

    @Test
    void mayRunTogether_onlyRegularExpressions_trueForLackOfProof() {
        Reach reach = reach(stage("a", s -> s.branches("/x.*/")), stage("b", s -> s.branches("/y.*/")));

        assertThat(reach.mayRunTogether("a", "b")).isTrue();
    }

    @Test
    void mayRunTogether_branchStageAndTagOnlyStage_false() {
        Reach reach = reach(stage("a", s -> s.branches("main")),
                stage("b", s -> s.filter(f -> f.ignoreBranches("/.*/").onlyTags("v1"))));

        assertThat(reach.mayRunTogether("a", "b")).isFalse();
    }

    @Test
    void mayRunTogether_differentBranchesButASharedTag_true() {
        Reach reach = reach(stage("a", s -> s.branches("main").tags("v1")),
                stage("b", s -> s.branches("develop").tags("v1", "v2")));

        assertThat(reach.mayRunTogether("a", "b")).isTrue();
    }

    @Test
    void mayRunTogether_differentBranchesAndTags_false() {
        Reach reach = reach(stage("a", s -> s.branches("main").tags("v1")),
                stage("b", s -> s.branches("develop").tags("v2")));

        assertThat(reach.mayRunTogether("a", "b")).isFalse();
    }

    @Test
    void mayRunTogether_stageAndItsNeed_true() {
        Reach reach = reach(stage("build", s -> s.branches("main", "develop")),
                stage("deploy", s -> s.needs("build").branches("/ma.*/")));

        assertThat(reach.mayRunTogether("build", "deploy")).isTrue();
    }

    // ------------------------------------------------------------ describe

    @Test
    void describe_exactBranchesNoTag() {
        assertThat(reach(stage("a", s -> s.branches("main", "develop"))).describe("a"))
                .isEqualTo("branches [develop, main], no tag");
    }

    @Test
    void describe_unbounded() {
        assertThat(reach(stage("a", s -> s.tags("/v.*/"))).describe("a"))
                .isEqualTo("branches matching its filters, tags matching its filters");
    }

    @Test
    void describe_exactTags() {
        assertThat(reach(stage("a", s -> s.tags("v2", "v1"))).describe("a"))
                .isEqualTo("branches matching its filters, tags [v1, v2]");
    }

    @Test
    void describe_unrunnable() {
        Reach reach = reach(stage("a", s -> s.branches("main")), stage("b", s -> s.needs("a").branches("develop")));

        assertThat(reach.describe("b")).isEqualTo("no branch, no tag");
    }

    // ------------------------------------------------------------ deep chains

    @Test
    void chainOf100000_carriesTheRootsFilterToTheLeaf_withoutOverflowingTheStack() {
        int n = 100_000;
        Map<String, Stage> stages = new LinkedHashMap<>();
        stages.put("s0", stage("s0", s -> s.branches("main", "develop")));
        for (int i = 1; i < n - 1; i++) {
            String previous = "s" + (i - 1);
            stages.put("s" + i, stage("s" + i, s -> s.needs(previous)));
        }
        String last = "s" + (n - 1);
        stages.put(last, stage(last, s -> s.needs("s" + (n - 2)).branches("develop", "release")));

        Reach reach = Reach.of(stages, List.of());

        assertThat(reach.names(last, Ref.Kind.BRANCH)).isEqualTo(Optional.of(Set.of("develop")));
        assertThat(reach.runsOn(last, Ref.branch("main"))).isFalse();
        assertThat(reach.runsOn("s" + (n / 2), Ref.branch("main"))).isTrue();
        assertThat(reach.constraints(last)).hasSize(3);
    }
}
