package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FilterTest {

    @Test
    void accepts_allBranches_everyBranchAndNoTag() {
        Filter all = Filter.allBranches();

        assertThat(all.accepts(Ref.branch("master"))).isTrue();
        assertThat(all.accepts(Ref.branch("feature/x"))).isTrue();
        assertThat(all.accepts(Ref.tag("v1.0.0"))).isFalse();
        assertThat(all.restrictsBranches()).isFalse();
        assertThat(all.hasTagFilter()).isFalse();
        assertThat(Filter.builder().build()).isEqualTo(all);
    }

    @Test
    void accepts_onlyBranches_acceptsOnlyThose() {
        Filter master = Filter.branches("master", "/release-.*/");

        assertThat(master.accepts(Ref.branch("master"))).isTrue();
        assertThat(master.accepts(Ref.branch("release-2"))).isTrue();
        assertThat(master.accepts(Ref.branch("development"))).isFalse();
        assertThat(master.restrictsBranches()).isTrue();
    }

    @Test
    void accepts_ignoreBranches_acceptsAllOthers() {
        Filter f = Filter.builder().ignoreBranches("/wip-.*/").build();

        assertThat(f.accepts(Ref.branch("wip-login"))).isFalse();
        assertThat(f.accepts(Ref.branch("login"))).isTrue();
        assertThat(f.restrictsBranches()).isTrue();
    }

    @Test
    void accepts_onlyAndIgnore_onlyConsideredBeforeIgnore() {
        Filter f = Filter.builder().onlyBranches("/feature-.*/").ignoreBranches("feature-broken").build();

        assertThat(f.accepts(Ref.branch("feature-login"))).isTrue();
        assertThat(f.accepts(Ref.branch("feature-broken"))).isFalse();
        assertThat(f.accepts(Ref.branch("master"))).isFalse();
    }

    @Test
    void accepts_regex_mustMatchTheWholeName() {
        Filter f = Filter.branches("/dev/");

        assertThat(f.accepts(Ref.branch("dev"))).isTrue();
        assertThat(f.accepts(Ref.branch("development"))).isFalse();
        assertThat(f.accepts(Ref.branch("old-dev"))).isFalse();
    }

    @Test
    void accepts_tagWithoutTagFilter_neverRuns() {
        assertThat(Filter.branches("master").accepts(Ref.tag("master"))).isFalse();
        assertThat(Filter.builder().ignoreBranches("master").build().accepts(Ref.tag("v1"))).isFalse();
    }

    @Test
    void accepts_onlyTags_acceptsThoseTagsAndBranchesStillRun() {
        Filter f = Filter.builder().onlyTags("/v\\d+\\.\\d+\\.\\d+/").build();

        assertThat(f.accepts(Ref.tag("v1.2.3"))).isTrue();
        assertThat(f.accepts(Ref.tag("v1.2"))).isFalse();
        assertThat(f.accepts(Ref.branch("master"))).as("tag filters say nothing about branches").isTrue();
        assertThat(f.hasTagFilter()).isTrue();
    }

    @Test
    void accepts_ignoreTagsOnly_acceptsEveryOtherTag() {
        Filter f = Filter.builder().ignoreTags("/.*-rc\\d+/").build();

        assertThat(f.accepts(Ref.tag("v1.0.0"))).isTrue();
        assertThat(f.accepts(Ref.tag("v1.0.0-rc1"))).isFalse();
    }

    @Test
    void accepts_branchFilters_doNotAffectTags() {
        Filter f = Filter.builder().onlyBranches("master").ignoreBranches("/.*/").onlyTags("/v.*/").build();

        assertThat(f.accepts(Ref.tag("v1"))).isTrue();
        assertThat(f.accepts(Ref.branch("master"))).isFalse();
    }

    @Test
    void tags_factory_acceptsOnlyTheTagsAndNoBranch() {
        Filter releases = Filter.tags("/v.*/");

        assertThat(releases.accepts(Ref.tag("v2"))).isTrue();
        assertThat(releases.accepts(Ref.tag("nightly"))).isFalse();
        assertThat(releases.accepts(Ref.branch("master"))).isFalse();
        assertThat(releases.restrictsBranches()).isTrue();
    }

    @Test
    void build_invalidRegex_reportsPathAndFix() {
        Problem p = Rejected.problem(() -> Filter.builder().onlyBranches("master").ignoreTags("/v[/").build());

        assertThat(p.path()).isEqualTo("tags.ignore");
        assertThat(p.message()).startsWith("invalid regular expression /v[/");
        assertThat(p.fix()).contains("regular expression between slashes");
    }

    @Test
    void build_problemsInEveryList_reportsEach() {
        InvalidPipelineException e = Rejected.by(() -> Filter.builder().onlyBranches("/(/").ignoreBranches(" ")
                .onlyTags("/[/").ignoreTags("/)/").build());

        assertThat(e.problems()).extracting(Problem::path)
                .containsExactly("branches.only", "branches.ignore", "tags.only", "tags.ignore");
        assertThat(e.getMessage()).startsWith("Filter is invalid (4 problems):");
    }

    @Test
    void build_nullPatterns_reportedNotThrown() {
        InvalidPipelineException e = Rejected.by(() -> Filter.builder()
                .onlyBranches((String[]) null).onlyTags((String) null).build());

        assertThat(e.problems()).extracting(Problem::path, Problem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("branches.only", "null given."),
                org.assertj.core.groups.Tuple.tuple("tags.only", "null element given."));
    }

    @Test
    void onlyBranches_calledTwice_replaces() {
        Filter f = Filter.builder().onlyBranches("a").onlyBranches("b").build();

        assertThat(f.onlyBranches()).containsExactly(NamePattern.of("b"));
    }

    @Test
    void toBuilder_build_equalsOriginal() {
        Filter f = Filter.builder().onlyBranches("master", "/release-.*/").ignoreBranches("release-old")
                .onlyTags("/v.*/").ignoreTags("v0").build();

        assertThat(f.toBuilder().build()).isEqualTo(f).hasSameHashCodeAs(f);
        assertThat(Filter.allBranches().toBuilder().build()).isEqualTo(Filter.allBranches());
    }

    @Test
    void finiteNames_exactBranches_areKnown() {
        Filter f = Filter.builder().onlyBranches("master", "development").ignoreBranches("development").build();

        assertThat(f.finiteNames(Ref.Kind.BRANCH)).contains(Set.of("master"));
        assertThat(f.finiteNames(Ref.Kind.TAG)).contains(Set.of());
        assertThat(Filter.branches("/release-.*/").finiteNames(Ref.Kind.BRANCH)).isEmpty();
        assertThat(Filter.allBranches().finiteNames(Ref.Kind.BRANCH)).isEqualTo(Optional.empty());
    }

    @Test
    void finiteNames_ignoringEveryName_isEmpty() {
        assertThat(Filter.tags("/v.*/").finiteNames(Ref.Kind.BRANCH)).contains(Set.of());
        assertThat(Filter.builder().ignoreBranches("/.+/").build().finiteNames(Ref.Kind.BRANCH)).contains(Set.of());
        assertThat(Filter.builder().onlyTags("/v.*/").ignoreTags("/.*/").build().finiteNames(Ref.Kind.TAG))
                .contains(Set.of());
        assertThat(Filter.tags("/v.*/").finiteNames(Ref.Kind.TAG)).isEmpty();
    }

    @Test
    void toString_describesBranchesAndTags() {
        assertThat(Filter.allBranches()).hasToString("all branches");
        assertThat(Filter.branches("master")).hasToString("branches only [master]");
        assertThat(Filter.builder().onlyTags("/v.*/").build()).hasToString("all branches, tags only [/v.*/]");
        assertThat(Filter.tags("/v.*/")).hasToString("branches ignoring [/.*/], tags only [/v.*/]");
    }
}
