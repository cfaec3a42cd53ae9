package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CircleCiImportCommandTest {
    private static final String CONFIG = "version: 2.1\njobs:\n  build:\n    docker: [{image: cimg/base:current}]\n"
            + "    steps: [checkout, {run: make}]\nworkflows:\n  main: {jobs: [build]}\n";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Pipewright.execute(args, new PrintWriter(out), new PrintWriter(err), List.of());
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void import_printsTheSourceOfAClassNamedAfterTheFile() throws IOException {
        Path config = file("housing-api.yml", CONFIG);

        assertThat(run("circleci", "import", config.toString(), "--package", "com.example.ci")).isZero();
        assertThat(out.toString()).startsWith("package com.example.ci;\n")
                .contains("public final class HousingApi {", ".putJob(\"build\", build())", "public static void main(");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void import_toOutput_namesTheClassAfterTheFile() throws IOException {
        Path config = file("config.yml", CONFIG);
        Path java = dir.resolve("src/Pipeline.java");

        assertThat(run("circleci", "import", config.toString(), "-o", java.toString())).isZero();
        assertThat(out.toString()).isEqualTo("wrote " + java + ": class Pipeline builds the configuration.\n");
        assertThat(Files.readString(java)).contains("public final class Pipeline {");
    }

    @Test
    void import_toOutput_namesTheEnvironmentsTheClassDeclares() throws IOException {
        Path config = file("config.yml", """
                version: 2.1
                jobs:
                  deploy-to-staging: {docker: [{image: cimg/base:current}], steps: [{run: ./deploy staging}]}
                  deploy-to-production: {docker: [{image: cimg/base:current}], steps: [{run: ./deploy production}]}
                workflows:
                  staging: {jobs: [{deploy-to-staging: {context: aws-staging}}]}
                  production: {jobs: [{deploy-to-production: {context: aws-production}}]}
                """);
        Path java = dir.resolve("Delivery.java");

        assertThat(run("circleci", "import", config.toString(), "-o", java.toString())).isZero();
        assertThat(out.toString()).isEqualTo("wrote " + java + ": class Delivery builds the configuration with"
                + " environments staging, production.\n");
        assertThat(Files.readString(java)).contains(".environment(STAGING)", ".environment(PRODUCTION)");
    }

    @Test
    void import_existingOutput_isNotWrittenOverWithoutForce() throws IOException {
        Path config = file("config.yml", CONFIG);
        Path java = file("Config.java", "// mine\n");

        assertThat(run("circleci", "import", config.toString(), "-o", java.toString())).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).isEqualTo("error: " + java + " exists; pass --force to write over it.\n");
        assertThat(Files.readString(java)).isEqualTo("// mine\n");

        assertThat(run("circleci", "import", config.toString(), "-o", java.toString(), "--force")).isZero();
        assertThat(Files.readString(java)).contains("public final class Config {");
    }

    @Test
    void import_invalidYaml_exit2WithThePositionAndWritesNothing() throws IOException {
        Path config = file("config.yml", "version: 2.1\njobs:\n  build: [a\n");
        Path java = dir.resolve("Config.java");

        assertThat(run("circleci", "import", config.toString(), "-o", java.toString())).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).startsWith("error: " + config + ":").contains("invalid YAML");
        assertThat(java).doesNotExist();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void import_unknownKeys_areWarnedWithTheirPositions() throws IOException {
        Path config = file("config.yml", "version: 2.1\nreferences:\n  image: &image cimg/base:current\n");

        assertThat(run("circleci", "import", config.toString())).isZero();
        assertThat(err.toString()).isEqualTo("warning: " + config + ":2:1: references: 'references' is not a key of a"
                + " configuration that the model knows; kept as written.\n");
        assertThat(out.toString()).contains(".putExtra(\"references\", references())");
    }

    @Test
    void import_classNotMatchingTheOutputFile_exit2() throws IOException {
        Path config = file("config.yml", CONFIG);

        assertThat(run("circleci", "import", config.toString(), "--class", "Ci", "-o", dir.resolve("Config.java")
                .toString())).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).isEqualTo("error: class Ci must be written to Ci.java, not Config.java: javac requires"
                + " the names to match.\n");
    }

    @Test
    void import_classNamedLikeAModelType_exit2() throws IOException {
        Path config = file("config.yml", CONFIG);

        assertThat(run("circleci", "import", config.toString(), "--class", "Job")).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).isEqualTo("error: the class name 'Job' is also the name of a type the source uses;"
                + " choose another name.\n");
    }

    @Test
    void import_missingFile_exit2() {
        assertThat(run("circleci", "import", dir.resolve("none.yml").toString())).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).isEqualTo("error: no such file: " + dir.resolve("none.yml") + ".\n");
    }
}
