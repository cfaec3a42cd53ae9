package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.Environment;
import dev.pipewright.Pipeline;
import dev.pipewright.Role;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportSourceTest {
    @TempDir
    Path dir;

    private static ImportSource generate(String yaml) {
        return ImportSource.generate(yaml, "config.yml", "com.example.ci", "Config");
    }

    /** Compiles the source, runs what it builds and checks it is the data of {@code yaml}. */
    private void assertRebuilds(ImportSource source, String yaml) {
        CircleCiConfig rebuilt = ImportCompilation.of(List.of(source), dir).config(source);
        assertThat(rebuilt.data()).isEqualTo(CircleCiConfig.parse(yaml, "config.yml").data());
    }

    /** Jobs alike but for their environment, which the workflow gates, filters and gives contexts to. */
    private static final String DEPLOYS = """
            version: 2.1
            jobs:
              test:
                docker: [{image: cimg/node:20.11}]
                steps: [checkout, {run: npm test}]
              deploy-to-staging:
                docker: [{image: cimg/node:20.11}]
                environment: {AWS_ACCOUNT: $AWS_ACCOUNT_STAGING}
                steps:
                  - checkout
                  - run: {name: Deploy to staging, command: "npx sls deploy --stage staging"}
              deploy-to-production:
                docker: [{image: cimg/node:20.11}]
                environment: {AWS_ACCOUNT: $AWS_ACCOUNT_PRODUCTION}
                steps:
                  - checkout
                  - run: {name: Deploy to production, command: "npx sls deploy --stage production"}
            workflows:
              main:
                jobs:
                  - test
                  - deploy-to-staging: {requires: [test], context: staging, filters: {branches: {only: main}}}
                  - hold: {type: approval, requires: [deploy-to-staging], filters: {branches: {only: main}}}
                  - deploy-to-production: {requires: [hold], context: production, filters: {branches: {only: main}}}
            """;

    @Test
    void generate_environmentShapedYaml_importsAsAPipelineWithEnvironmentsAndGates() {
        ImportSource source = generate(DEPLOYS);

        assertThat(source.form()).isEqualTo(ImportSource.Form.PIPELINE);
        assertThat(source.javaSource())
                .contains("private static final Environment STAGING =", "private static final Environment PRODUCTION =")
                .contains("Environment.named(\"production\")", ".branches(\"main\")", "c.context(\"production\")")
                .contains(".putVariable(\"AWS_ACCOUNT\", \"$AWS_ACCOUNT_PRODUCTION\")")
                .contains(".gate(Gate.manualApproval(g -> g.name(\"hold\")))")
                .contains(".in(PRODUCTION)");
        assertRebuilds(source, DEPLOYS);
    }

    @Test
    void generate_jobsPerEnvironment_shareOneMethodTakingTheEnvironment() {
        ImportSource source = generate(NOT_A_PIPELINE);

        assertThat(source.form()).isEqualTo(ImportSource.Form.CONFIGURATION);
        assertThat(source.javaSource())
                .contains("private static Job deployTo(String environment) {")
                .contains(".putJob(\"deploy-to-staging\", deployTo(\"staging\"))")
                .contains(".putJob(\"deploy-to-production\", deployTo(\"production\"))")
                .contains("\"$AWS_ACCOUNT_\" + environment.toUpperCase(Locale.ROOT)")
                .contains("\"npx sls deploy --stage \" + environment")
                .contains("private static final String NODE_IMAGE = \"cimg/node:20.11\";")
                .contains(".approval(a -> a.name(\"hold\"))")
                .contains("WorkflowJob.approval(PRODUCTION)")
                .doesNotContain("deployToStaging", "deployToProduction");
        assertThat(source.environments()).containsExactly("staging", "production");
        assertRebuilds(source, NOT_A_PIPELINE);
    }

    /** {@link #DEPLOYS} in a working directory, which no stage has: the config form. */
    private static final String NOT_A_PIPELINE = DEPLOYS.replace("    docker: [{image: cimg/node:20.11}]\n",
            "    docker: [{image: cimg/node:20.11}]\n    working_directory: ~/app\n");

    @Test
    void generate_anchoredValues_becomeConstantsNamedAfterTheirAnchors() {
        String yaml = """
                version: 2.1
                references:
                  restore: &restore_dependencies
                    restore_cache:
                      keys:
                        - v1-deps-{{ checksum "package-lock.json" }}
                        - v1-deps-
                jobs:
                  lint:
                    docker: [{image: cimg/node:20.11}]
                    steps: [checkout, *restore_dependencies, {run: npm run lint}]
                  test:
                    docker: [{image: cimg/node:20.11}]
                    steps: [checkout, *restore_dependencies, {run: npm test}, {store_test_results: {path: reports}}]
                workflows:
                  main: {jobs: [lint, test]}
                """;
        ImportSource source = generate(yaml);

        assertThat(source.javaSource())
                .contains("private static final CircleCiStep RESTORE_DEPENDENCIES =")
                .contains(".addStep(RESTORE_DEPENDENCIES)")
                .contains(".putExtra(\"references\", references())")
                .containsOnlyOnce("restoreCache(");
        assertThat(occurrences(source.javaSource(), ".addStep(RESTORE_DEPENDENCIES)")).isEqualTo(2);
        assertRebuilds(source, yaml);
    }

    @Test
    void generate_jobsAlikeButForACommand_shareAMethodNamedAfterWhatTheyRun() {
        String yaml = """
                version: 2.1
                jobs:
                  lint:
                    docker: [{image: cimg/node:20.11}]
                    steps: [checkout, {run: npm ci}, {run: npm run lint}]
                  test:
                    docker: [{image: cimg/node:20.11}]
                    steps: [checkout, {run: npm ci}, {run: npm test}]
                """;
        ImportSource source = generate(yaml);

        assertThat(source.javaSource())
                .contains("private static Job nodeJob(String command) {", ".addStep(run(command))")
                .contains(".putJob(\"lint\", nodeJob(\"npm run lint\"))", ".putJob(\"test\", nodeJob(\"npm test\"))");
        assertRebuilds(source, yaml);
    }

    @Test
    void generate_repeatedSteps_becomeConstantsNamedAfterThem() {
        String yaml = """
                version: 2.1
                jobs:
                  build:
                    docker: [{image: cimg/base:current}]
                    steps: [checkout, {attach_workspace: {at: /tmp/ws}}, {run: {name: Install tools, command: make tools}}, {run: make}]
                  publish:
                    docker: [{image: cimg/base:current}]
                    steps: [checkout, {attach_workspace: {at: /tmp/ws}}, {run: {name: Install tools, command: make tools}}, {run: make publish}, {store_artifacts: {path: dist}}]
                """;
        ImportSource source = generate(yaml);

        assertThat(source.javaSource())
                .contains("private static final CircleCiStep ATTACH_WORKSPACE = attachWorkspace(\"/tmp/ws\");",
                        "private static final CircleCiStep INSTALL_TOOLS = run(\"Install tools\", \"make tools\");")
                .doesNotContain("CHECKOUT");
        assertRebuilds(source, yaml);
    }

    @Test
    void generate_script_isATextBlock() {
        String yaml = "version: 2.1\njobs:\n  build:\n    machine: {image: ubuntu-2404:current}\n    steps:\n"
                + "      - run: |\n"
                + "          echo \"a \\\"quoted\\\" word\" \\\n"
                + "            && printf '%s\\n' \"\"\"\"\n"
                + "          echo done   \n";
        ImportSource source = generate(yaml);

        assertThat(source.javaSource()).contains("\"\"\"\n").contains("echo done");
        assertRebuilds(source, yaml);
    }

    @Test
    void generate_plainDataOfEveryKind_rebuildsTheSameData() {
        String yaml = """
                version: 2.1
                jobs:
                  build:
                    docker: [{image: cimg/base:current}]
                    steps:
                      - greet:
                          a: null
                          b: [null]
                          c: [1, null]
                          d: 12345678901
                          e: 1.5
                          f: 123456789012345678901234567890
                          g: true
                          h: {x: null, y: 2}
                          i: {}
                          j: .inf
                          k: -.inf
                          l: .nan
                          m: [[], {}, "", -0.0]
                    unknown: null
                top: null
                """;
        ImportSource source = generate(yaml);

        assertThat(source.javaSource()).contains("mapWithNulls(", "12345678901L", "new BigInteger(",
                "Collections.singletonList(null)", "Double.NaN", "Double.POSITIVE_INFINITY", ".putExtra(\"top\", null)");
        assertRebuilds(source, yaml);
    }

    @Test
    void generate_source_importsWhatItUsesAndQualifiesNothing() {
        String source = generate(DEPLOYS).javaSource();
        List<String> imports = source.lines().filter(l -> l.startsWith("import ")).toList();
        String body = source.lines().filter(l -> !l.startsWith("import ") && !l.startsWith("package "))
                .reduce("", (a, b) -> a + b + "\n");

        assertThat(imports).isNotEmpty();
        for (String line : imports) {
            String name = line.substring(line.lastIndexOf('.') + 1, line.length() - 1);
            assertThat(body).as("use of %s", line).containsPattern("\\b" + name + "\\b");
        }
        assertThat(body).doesNotContainPattern("\\b(dev\\.pipewright|java\\.util|com\\.google)\\.");
    }

    @Test
    void generate_unknownKeys_areKeptAndReportedWithTheirPositions() {
        String yaml = "version: 2.1\njobs:\n  build:\n    docker: [{image: x}]\n    color: blue\n    steps: [checkout]\n";
        ImportSource source = generate(yaml);

        assertThat(source.warnings()).extracting(ConfigProblem::toString)
                .containsExactly("config.yml:5:5: jobs.build.color: 'color' is not a key of a job that the model knows;"
                        + " kept as written.");
        assertThat(source.javaSource()).contains(".putExtra(\"color\", \"blue\")");
        assertRebuilds(source, yaml);
    }

    @Test
    void generate_invalidYaml_reportsTheParsersPositions() {
        assertThatThrownBy(() -> generate("version: 2.1\njobs:\n  build: [a\n"))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).problems()).first().asString()
                        .startsWith("config.yml:").contains("invalid YAML"));
    }

    @Test
    void generate_classNamedAfterATypeTheSourceUses_isRefused() {
        assertThatThrownBy(() -> ImportSource.generate(NOT_A_PIPELINE, "config.yml", "", "Job"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the class name 'Job' is also the name of a type the source uses; choose another name");
        assertThatThrownBy(() -> ImportSource.generate(DEPLOYS, "config.yml", "", "config"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'config' is not a class name");
        assertThatThrownBy(() -> ImportSource.generate(DEPLOYS, "config.yml", "com.1x", "Config"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'com.1x' is not a package name");
    }

    @Test
    void className_isMadeOfTheFilesName() {
        assertThat(ImportSource.className(".circleci/config.yml")).isEqualTo("Config");
        assertThat(ImportSource.className("LBHackney-IT__processes-api.yml")).isEqualTo("LbHackneyItProcessesApi");
        assertThat(ImportSource.className("2024.yml")).isEqualTo("Config2024");
    }

    @Test
    void generate_compiledPipeline_importsAsEnvironmentsGatesAndRoles() {
        Role deployer = Role.named("deploy-production").assumes("arn:aws:iam::123456789012:role/deploy-production")
                .build();
        Environment production = Environment.named("production").branches("main").role(deployer).approval()
                .putVariable("STAGE", "production").circleci(c -> c.context("production-secrets")).build();
        Pipeline pipeline = Pipeline.named("api")
                .environments(production)
                .circleci(c -> c.docker("cimg/openjdk:21.0"))
                .stage("test", s -> s.run("./mvnw -B verify").circleci(c -> c.storeTestResults("target/surefire-reports")))
                .deploy(production, s -> s.needs("test").run("./deploy.sh \"$STAGE\"", r -> r.name("deploy")))
                .build();
        String yaml = CircleCiCompiler.generate(pipeline);

        ImportSource source = ImportSource.generate(yaml, "config.yml", "com.example.ci", "Api");

        assertThat(source.form()).isEqualTo(ImportSource.Form.PIPELINE);
        assertThat(source.javaSource())
                .contains("private static final Role DEPLOY_PRODUCTION =")
                .contains("Environment.named(\"production\")")
                .contains(".approval()")
                .containsPattern("\\.deploy\\(\\s*PRODUCTION,")
                .contains("System.out.print(CircleCiCompiler.generate(pipeline()));")
                .doesNotContain("CircleCiConfig.builder()", "approve-production");
        ImportCompilation compiled = ImportCompilation.of(List.of(source), dir);
        assertThat(compiled.config(source)).isEqualTo(CircleCiCompiler.compile(pipeline));
    }

    @Test
    void generate_approvalsWithCommands_keepTheConfigurationForm() {
        String yaml = DEPLOYS.replace("jobs:\n  test:", "commands:\n  greet: {steps: [{run: echo hi}]}\njobs:\n  test:");

        assertThat(generate(yaml).form()).isEqualTo(ImportSource.Form.CONFIGURATION);
        assertThat(generate(NOT_A_PIPELINE).form()).isEqualTo(ImportSource.Form.CONFIGURATION);
    }

    private static int occurrences(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
