package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Reads test configurations and checks the model gives back their data. */
final class Configs {
    private Configs() {
    }

    /**
     * Parses {@code yaml}, checks that the model's data equals the canonical data and that a copy
     * rebuilt from the model is equal, and returns the configuration.
     */
    static CircleCiConfig read(String yaml) {
        CircleCiConfig config = CircleCiConfig.parse(yaml, "config.yml");
        assertThat(config.toData()).as("data written from the model").isEqualTo(config.data());
        assertThat(config.toBuilder().build()).isEqualTo(config);
        return config;
    }

    /** Reads a configuration whose only job is {@code build}, given its body indented by four spaces. */
    static Job job(String body) {
        return read("version: 2.1\njobs:\n  build:\n" + body.stripTrailing().indent(4)).jobs().get("build");
    }

    /** Reads a configuration whose only workflow is {@code main}, given its body indented by four spaces. */
    static Workflow workflow(String body) {
        return read("version: 2.1\nworkflows:\n  main:\n" + body.stripTrailing().indent(4)).workflows().get("main");
    }

    /** The steps of a job with the given steps list, indented by four spaces under {@code steps:}. */
    static List<CircleCiStep> steps(String steps) {
        return job("steps:\n" + steps.stripTrailing().indent(2)).steps();
    }

    /** The warnings of a configuration, as strings. */
    static List<String> warnings(String yaml) {
        return read(yaml).warnings().stream().map(ConfigProblem::toString).toList();
    }

    /** The data of a configuration with version 2.1 and one job {@code build}. */
    static Object dataOfJob(Job job) {
        return CircleCiConfig.builder().version(Version.V2_1).putJob("build", job).build().data();
    }
}
