package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.pipewright.Environment;
import dev.pipewright.Gate;
import dev.pipewright.PathPattern;
import dev.pipewright.Pipeline;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CircleCiPathFiltersTest {
    private static final Environment PRODUCTION = Environment.named("production").branches("master").build();

    /** Payments and orders build when their folders change; deploy needs both; lint always runs. */
    private static Pipeline monorepo() {
        return Pipeline.named("shop")
                .environment(PRODUCTION)
                .stage("lint", s -> s.run("make lint"))
                .stage("payments", s -> s.needs("lint").run("make -C services/payments")
                        .whenChanged("services/payments/**", "!services/payments/docs/**"))
                .stage("orders", s -> s.needs("lint").run("make -C services/orders").whenChanged("services/orders/**"))
                .stage("deploy", s -> s.needs("payments", "orders").in(PRODUCTION).gate(Gate.manualApproval())
                        .run("make deploy"))
                .build();
    }

    private static Object at(Object root, Object... path) {
        Object node = root;
        for (Object p : path) {
            node = p instanceof Integer i ? ((List<?>) node).get(i) : ((Map<?, ?>) node).get(p);
        }
        return node;
    }

    private static CircleCiConfig parsed(String yaml, String file) {
        CircleCiConfig config = CircleCiConfig.parse(yaml, file);
        assertThat(config.check()).as("%s passes CircleCI's reference checks", file).isEmpty();
        assertThat(config.warnings()).as("%s holds only keys the model knows", file).isEmpty();
        return config;
    }

    @Test
    void generateAll_withoutPathFilters_isTheOneFileGenerateWrites() {
        Pipeline plain = Pipeline.named("api").stage("test", s -> s.run("make test")).build();

        Map<String, String> files = CircleCiCompiler.generateAll(plain);

        assertThat(files).containsOnlyKeys(CircleCiCompiler.CONFIG_FILE);
        assertThat(files.get(CircleCiCompiler.CONFIG_FILE)).isEqualTo(CircleCiCompiler.generate(plain))
                .isEqualTo(CircleCiCompiler.compile(plain).toYaml(CircleCiCompiler.header(plain)))
                .doesNotContain("setup").doesNotContain("halt");
    }

    @Test
    void generateAll_withPathFilters_writesASetupConfigAndItsContinuation() {
        Map<String, String> files = CircleCiCompiler.generateAll(monorepo());

        assertThat(files).containsOnlyKeys(CircleCiCompiler.CONFIG_FILE, CircleCiCompiler.CONTINUATION_FILE);
        assertThat(CircleCiCompiler.generate(monorepo())).isEqualTo(files.get(CircleCiCompiler.CONFIG_FILE));

        Map<String, Object> setup = parsed(files.get(CircleCiCompiler.CONFIG_FILE), "config.yml").data();
        assertThat(at(setup, "setup")).isEqualTo(true);
        assertThat(at(setup, "orbs")).isEqualTo(Map.of("path-filtering", CircleCiCompiler.PATH_FILTERING_ORB));
        Map<?, ?> filter = (Map<?, ?>) at(setup, "workflows", "setup", "jobs", 0, "path-filtering/filter");
        assertThat(filter.get("base-revision")).as("guessed from the production filter").isEqualTo("master");
        assertThat(filter.get("config-path")).isEqualTo(".circleci/continue_config.yml");
        assertThat(filter.get("filters")).isEqualTo(Map.of("tags", Map.of("only", List.of("/.*/"))));
        assertThat(((String) filter.get("mapping")).lines().toList()).containsExactly(
                PathPattern.regex(monorepo().stage("payments").orElseThrow().whenChanged()) + " changed-payments true",
                PathPattern.regex(monorepo().stage("orders").orElseThrow().whenChanged()) + " changed-orders true");
    }

    @Test
    void continuation_declaresTheParametersAndHaltsFilteredJobsAndThoseThatNeedThem() {
        String yaml = CircleCiCompiler.generateAll(monorepo()).get(CircleCiCompiler.CONTINUATION_FILE);
        Map<String, Object> d = parsed(yaml, "continue_config.yml").data();

        assertThat(at(d, "setup")).isNull();
        assertThat(at(d, "parameters", "changed-payments", "type")).isEqualTo("boolean");
        assertThat(at(d, "parameters", "changed-payments", "default")).isEqualTo(false);
        assertThat(List.copyOf(((Map<?, ?>) at(d, "parameters")).keySet())).isEqualTo(List.of("changed-payments", "changed-orders"));

        assertThat(at(d, "jobs", "lint", "steps", 0)).isEqualTo(Map.of("checkout", Map.of()));
        assertThat(at(d, "jobs", "payments", "steps", 0, "unless", "condition"))
                .isEqualTo("<< pipeline.parameters.changed-payments >>");
        assertThat(at(d, "jobs", "payments", "steps", 0, "unless", "steps", 0, "run", "command"))
                .isEqualTo("circleci-agent step halt");
        assertThat(at(d, "jobs", "payments", "steps", 1)).isEqualTo(Map.of("checkout", Map.of()));
        assertThat(at(d, "jobs", "deploy", "steps", 0, "unless", "condition")).isEqualTo(Map.of("and", List.of(
                "<< pipeline.parameters.changed-payments >>", "<< pipeline.parameters.changed-orders >>")));
        assertThat(CircleCiCompiler.compile(monorepo()).toYaml(List.of())).contains("changed-orders");
    }

    @Test
    void mapping_regexSelectsWhatTheStagePatternsSelect() {
        List<PathPattern> payments = monorepo().stage("payments").orElseThrow().whenChanged();
        String line = CircleCiCompiler.generate(monorepo()).lines().filter(l -> l.contains("changed-payments"))
                .findFirst().orElseThrow().strip();
        // The orb splits each line at whitespace and matches '^' + regex + '$' against every changed path.
        Pattern orb = Pattern.compile("^" + line.split("\\s+")[0] + "$");

        for (String path : List.of("services/payments/pom.xml", "services/payments/docs/guide.md",
                "services/orders/pom.xml", "services/payments", "README.md")) {
            assertThat(orb.matcher(path).matches()).as(path).isEqualTo(PathPattern.selects(payments, path));
        }
    }

    @Test
    void generateAll_explicitDefaultBranch_isTheBaseRevision() {
        String setup = CircleCiCompiler.generateAll(monorepo(), "trunk").get(CircleCiCompiler.CONFIG_FILE);

        assertThat(setup).contains("base-revision: trunk");
        assertThatIllegalArgumentException().isThrownBy(() -> CircleCiCompiler.generateAll(monorepo(), "my branch"))
                .withMessageContaining("'my branch'");
    }

    @Test
    void defaultBranchGuess_isMainUnlessOnlyMasterIsNamed() {
        Pipeline noBranches = Pipeline.named("p").stage("a", s -> s.run("x").whenChanged("a/**")).build();
        Pipeline both = Pipeline.named("p").stage("a", s -> s.run("x").whenChanged("a/**").branches("master", "main"))
                .build();

        assertThat(PathFilters.guessDefaultBranch(noBranches)).isEqualTo("main");
        assertThat(PathFilters.guessDefaultBranch(both)).isEqualTo("main");
        assertThat(PathFilters.guessDefaultBranch(monorepo())).isEqualTo("master");
    }

    @Test
    void setup_pinnedOrbVersion_isKeptFromThePipeline() {
        Pipeline pinned = monorepo().toBuilder().circleci(c -> c.orb("path-filtering", "circleci/path-filtering@1.1.0"))
                .build();

        assertThat(CircleCiCompiler.generate(pinned)).contains("path-filtering: circleci/path-filtering@1.1.0");
    }
}
