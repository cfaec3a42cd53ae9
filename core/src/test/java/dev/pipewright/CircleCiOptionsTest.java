package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CircleCiOptionsTest {

    @Test
    void build_everyOption_kept() {
        CircleCiOptions o = CircleCiOptions.builder().docker("cimg/openjdk:17.0", "cimg/postgres:16.0")
                .resourceClass("large").orb("aws-cli", "circleci/aws-cli@5.1").context("housing-api")
                .restoreCache("maven-{{ checksum \"pom.xml\" }}", "maven-").saveCache("maven-x", "~/.m2")
                .attachWorkspace("/tmp/ws").persistToWorkspace("target", "app.jar")
                .storeTestResults("target/surefire-reports").storeArtifacts("target/app.jar").build();

        assertThat(o.executor()).contains(new CircleCiOptions.Docker("cimg/openjdk:17.0",
                List.of("cimg/postgres:16.0")));
        assertThat(o.resourceClass()).contains("large");
        assertThat(o.orbs()).containsExactly(Map.entry("aws-cli", "circleci/aws-cli@5.1"));
        assertThat(o.contexts()).containsExactly("housing-api");
        assertThat(o.restoreCacheKeys()).containsExactly("maven-{{ checksum \"pom.xml\" }}", "maven-");
        assertThat(o.saveCaches()).containsExactly(new CircleCiOptions.Cache("maven-x", List.of("~/.m2")));
        assertThat(o.attachWorkspace()).contains("/tmp/ws");
        assertThat(o.persistToWorkspace()).containsExactly(new CircleCiOptions.Workspace("target",
                List.of("app.jar")));
        assertThat(o.storeTestResults()).containsExactly("target/surefire-reports");
        assertThat(o.storeArtifacts()).containsExactly("target/app.jar");
    }

    @Test
    void executor_setTwice_lastWins() {
        CircleCiOptions o = CircleCiOptions.builder().docker("cimg/base:current").machine("ubuntu-2404:current")
                .build();

        assertThat(o.executor()).contains(new CircleCiOptions.Machine("ubuntu-2404:current"));
        assertThat(CircleCiOptions.builder().executor("node/default").build().executor())
                .contains(new CircleCiOptions.Named("node/default"));
    }

    @Test
    void orb_validReferences_accepted() {
        CircleCiOptions o = CircleCiOptions.builder().orb("aws-cli", "circleci/aws-cli@5.1.0")
                .orb("node", "circleci/node@5").orb("slack", "circleci/slack@volatile")
                .orb("mine", "acme/tools@dev:alpha").build();

        assertThat(o.orbs()).containsOnlyKeys("aws-cli", "node", "slack", "mine");
    }

    @Test
    void orb_badReference_reportsFormatUnderAlias() {
        Problem p = Rejected.problem(() -> CircleCiOptions.builder().orb("aws-cli", "circleci/aws-cli").build());

        assertThat(p.path()).isEqualTo("orbs.aws-cli");
        assertThat(p.message()).isEqualTo("'circleci/aws-cli' is not an orb reference.");
        assertThat(p.fix()).contains("namespace/name@version");
    }

    @Test
    void orb_badAlias_reported() {
        Problem p = Rejected.problem(() -> CircleCiOptions.builder().orb("1aws", "circleci/aws-cli@5.1").build());

        assertThat(p.path()).isEqualTo("orbs");
        assertThat(p.message()).isEqualTo("'1aws' is not a valid orb alias.");
    }

    @Test
    void build_blankAndNullValues_reportedWithPaths() {
        InvalidPipelineException e = Rejected.by(() -> CircleCiOptions.builder().docker(null).machine(" ")
                .resourceClass(null).context("").restoreCache((String[]) null).saveCache("k")
                .persistToWorkspace("root", (String) null).storeTestResults(null).build());

        assertThat(e.problems()).extracting(Problem::path).containsExactly("docker", "machine", "resource_class",
                "context", "restore_cache", "save_cache.paths", "persist_to_workspace.paths", "store_test_results");
        assertThat(e.problems().get(5).message()).isEqualTo("no paths were given.");
    }

    @Test
    void overriddenBy_specificSingleValues_win() {
        CircleCiOptions pipeline = CircleCiOptions.builder().docker("cimg/openjdk:17.0").resourceClass("medium")
                .attachWorkspace("/a").build();
        CircleCiOptions stage = CircleCiOptions.builder().machine("ubuntu-2404:current").attachWorkspace("/b")
                .build();

        CircleCiOptions merged = pipeline.overriddenBy(stage);

        assertThat(merged.executor()).contains(new CircleCiOptions.Machine("ubuntu-2404:current"));
        assertThat(merged.resourceClass()).as("unset in the specific options").contains("medium");
        assertThat(merged.attachWorkspace()).contains("/b");
    }

    @Test
    void overriddenBy_orbsMergeWithSpecificAliasWinning() {
        CircleCiOptions general = CircleCiOptions.builder().orb("aws-cli", "circleci/aws-cli@4.0")
                .orb("node", "circleci/node@5").build();
        CircleCiOptions specific = CircleCiOptions.builder().orb("aws-cli", "circleci/aws-cli@5.1")
                .orb("slack", "circleci/slack@4").build();

        assertThat(general.overriddenBy(specific).orbs()).containsExactly(
                Map.entry("aws-cli", "circleci/aws-cli@5.1"), Map.entry("node", "circleci/node@5"),
                Map.entry("slack", "circleci/slack@4"));
    }

    @Test
    void overriddenBy_listsJoinedWithoutRepeats() {
        CircleCiOptions general = CircleCiOptions.builder().context("org").context("team").restoreCache("k1")
                .saveCache("k1", "~/.m2").storeTestResults("r").storeArtifacts("a")
                .persistToWorkspace("t", "x").build();
        CircleCiOptions specific = CircleCiOptions.builder().context("team").context("production")
                .restoreCache("k0", "k1").saveCache("k1", "~/.m2").storeTestResults("r2").storeArtifacts("a")
                .persistToWorkspace("t", "y").build();

        CircleCiOptions merged = general.overriddenBy(specific);

        assertThat(merged.contexts()).containsExactly("org", "team", "production");
        assertThat(merged.restoreCacheKeys()).containsExactly("k1", "k0");
        assertThat(merged.saveCaches()).hasSize(1);
        assertThat(merged.storeTestResults()).containsExactly("r", "r2");
        assertThat(merged.storeArtifacts()).containsExactly("a");
        assertThat(merged.persistToWorkspace()).hasSize(2);
    }

    @Test
    void overriddenBy_none_isIdentityBothWays() {
        CircleCiOptions o = CircleCiOptions.builder().docker("cimg/base:current").context("c").build();

        assertThat(o.overriddenBy(CircleCiOptions.none())).isEqualTo(o);
        assertThat(CircleCiOptions.none().overriddenBy(o)).isEqualTo(o);
        assertThat(CircleCiOptions.builder().build()).isEqualTo(CircleCiOptions.none());
    }

    @Test
    void toBuilder_build_equalsOriginal() {
        CircleCiOptions o = CircleCiOptions.builder().docker("cimg/openjdk:17.0", "cimg/postgres:16.0")
                .resourceClass("large").orb("aws-cli", "circleci/aws-cli@5.1").context("c").restoreCache("k")
                .saveCache("k", "p").attachWorkspace("w").persistToWorkspace("r", "p").storeTestResults("t")
                .storeArtifacts("a").build();

        assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o);
    }
}
