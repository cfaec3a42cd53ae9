package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import that builds the configuration declares the environments its workflows express, and
 * what it writes still rebuilds the same data.
 */
class ImportEnvironmentsTest {
    @TempDir
    Path dir;

    private static final String JOBS = """
            version: 2.1
            commands:
              sls-deploy:
                parameters: {stage: {type: string}}
                steps: [checkout, {run: "npx sls deploy --stage << parameters.stage >>"}]
            jobs:
              build-and-test: {docker: [{image: cimg/node:20.11}], steps: [checkout, {run: npm test}]}
              deploy-to-development: {docker: [{image: cimg/node:20.11}], steps: [{sls-deploy: {stage: development}}]}
              deploy-to-staging: {docker: [{image: cimg/node:20.11}], steps: [{sls-deploy: {stage: staging}}]}
              smoke-test-staging: {docker: [{image: cimg/node:20.11}], steps: [{run: npm run smoke}]}
              deploy-to-production: {docker: [{image: cimg/node:20.11}], steps: [{sls-deploy: {stage: production}}]}
            """;

    /** Two workflows (so no pipeline), a context per environment, branch filters and an approval. */
    private static final String RELEASES = JOBS + """
            workflows:
              development:
                jobs:
                  - build-and-test
                  - deploy-to-development:
                      requires: [build-and-test]
                      context: [aws-development-role, nuget]
                      filters: {branches: {only: develop}}
              release:
                jobs:
                  - build-and-test: {filters: {branches: {only: main}}}
                  - deploy-to-staging:
                      requires: [build-and-test]
                      context: aws-staging-role
                      filters: {branches: {only: main}}
                  - smoke-test-staging: {requires: [deploy-to-staging], filters: {branches: {only: main}}}
                  - permit-production-release:
                      type: approval
                      requires: [smoke-test-staging]
                      filters: {branches: {only: main}}
                  - deploy-to-production:
                      requires: [permit-production-release]
                      context: [nuget, aws-production-role]
                      filters: {branches: {only: main}}
            """;

    private static ImportSource generate(String yaml) {
        return ImportSource.generate(yaml, "config.yml", "com.example.ci", "Config");
    }

    private void assertRebuilds(ImportSource source, String yaml) {
        CircleCiConfig rebuilt = ImportCompilation.of(List.of(source), dir).config(source);
        assertThat(rebuilt.data()).isEqualTo(CircleCiConfig.parse(yaml, "config.yml").data());
    }

    /** The source without line breaks and indentation, so that calls read on one line. */
    private static String flat(ImportSource source) {
        return source.javaSource().replaceAll("\\s*\\n\\s*", "");
    }

    @Test
    void contextsFiltersAndApprovalPerEnvironment_becomeEnvironmentsTheWorkflowsPlaceJobsIn() {
        ImportSource source = generate(RELEASES);

        assertThat(source.form()).isEqualTo(ImportSource.Form.CONFIGURATION);
        assertThat(source.environments()).containsExactly("development", "staging", "production");
        String code = flat(source);
        assertThat(code).contains("private static final Environment DEVELOPMENT =Environment.named(\"development\")"
                + ".branches(\"develop\").circleci(c -> c.context(\"aws-development-role\")).build();");
        assertThat(code).contains("private static final Environment STAGING =Environment.named(\"staging\")"
                + ".branches(\"main\").circleci(c -> c.context(\"aws-staging-role\")).build();");
        assertThat(code).contains("private static final Environment PRODUCTION =Environment.named(\"production\")"
                + ".branches(\"main\").promotedFrom(STAGING).approval(a -> a.name(\"permit-production-release\"))"
                + ".circleci(c -> c.context(\"aws-production-role\")).build();");
        assertThat(code).contains("WorkflowJob.builder(\"deploy-to-development\").addRequires(\"build-and-test\")"
                + ".environment(DEVELOPMENT).addContext(\"nuget\").build()");
        assertThat(code).contains("WorkflowJob.builder(\"deploy-to-production\").addRequires("
                + "\"permit-production-release\").addContext(\"nuget\").environment(PRODUCTION).build()");
        assertThat(code).contains("WorkflowJob.approval(PRODUCTION).addRequires(\"smoke-test-staging\").build()");
        // Named after staging, but without its context: kept as written.
        assertThat(code).contains("WorkflowJob.builder(\"smoke-test-staging\").addRequires(\"deploy-to-staging\")"
                + ".filters(ONLY_MAIN).build()");
        assertRebuilds(source, RELEASES);
    }

    @Test
    void approvalFilteredOtherwiseThanItsEnvironment_staysAnApprovalJob() {
        String yaml = RELEASES.replace("requires: [smoke-test-staging]\n          filters: {branches: {only: main}}\n",
                "requires: [smoke-test-staging]\n");
        assertThat(yaml).isNotEqualTo(RELEASES);

        ImportSource source = generate(yaml);

        String code = flat(source);
        assertThat(code).contains("Environment.named(\"production\").branches(\"main\").promotedFrom(STAGING)"
                + ".circleci(");
        assertThat(code).doesNotContain(".approval(");
        assertThat(code).contains("WorkflowJob.builder(\"permit-production-release\")"
                + ".addRequires(\"smoke-test-staging\").type(JobType.APPROVAL).build()");
        assertRebuilds(source, yaml);
    }

    @Test
    void jobsNamedLikeTestsOrWithoutDeploying_makeNoEnvironment() {
        String yaml = JOBS + """
                  integration-test: {docker: [{image: cimg/node:20.11}], steps: [{run: npm run it}]}
                  production-image-build: {docker: [{image: cimg/node:20.11}], steps: [{run: make image}]}
                workflows:
                  main:
                    jobs:
                      - build-and-test: {filters: {branches: {only: main}}}
                      - integration-test: {requires: [build-and-test], filters: {branches: {only: main}}}
                      - production-image-build: {requires: [build-and-test], filters: {branches: {only: main}}}
                  other:
                    jobs: [build-and-test]
                """;

        ImportSource source = generate(yaml);

        assertThat(source.environments()).isEmpty();
        assertThat(source.javaSource()).doesNotContain("Environment");
        assertRebuilds(source, yaml);
    }

    @Test
    void testEnvironmentWithItsOwnContext_isAnEnvironment() {
        String yaml = JOBS + """
                  deploy-to-test: {docker: [{image: cimg/node:20.11}], steps: [{sls-deploy: {stage: test}}]}
                workflows:
                  main:
                    jobs:
                      - build-and-test
                      - deploy-to-test: {requires: [build-and-test], context: aws-test-role}
                  other:
                    jobs: [build-and-test]
                """;

        ImportSource source = generate(yaml);

        assertThat(source.environments()).containsExactly("test");
        assertThat(flat(source)).contains("Environment.named(\"test\").circleci(c -> c.context(\"aws-test-role\"))"
                + ".build();").contains(".environment(TEST)");
        assertRebuilds(source, yaml);
    }

    @Test
    void entryWithAnotherContextOfItsEnvironment_keepsItsContextsAsWritten() {
        String yaml = JOBS + """
                workflows:
                  main:
                    jobs:
                      - deploy-to-staging: {context: [staging-aws, shared]}
                      - smoke-test-staging: {context: [staging-db, nuget]}
                      - deploy-to-production: {context: [shared, staging-aws]}
                      - build-and-test: {context: [nuget, staging-aws]}
                  other:
                    jobs: [build-and-test]
                """;

        ImportSource source = generate(yaml);

        assertThat(source.environments()).containsExactly("staging");
        String code = flat(source);
        assertThat(code).contains("Environment.named(\"staging\").circleci(c -> c.context(\"staging-aws\")).build();");
        assertThat(code).contains("WorkflowJob.builder(\"deploy-to-staging\").environment(STAGING)"
                + ".addContext(\"shared\").build()");
        assertThat(code).contains("WorkflowJob.builder(\"smoke-test-staging\").addContext(\"staging-db\")"
                + ".addContext(\"nuget\").build()");
        // Jobs not named after staging are not placed in it, whatever their contexts.
        assertThat(code).contains("WorkflowJob.builder(\"deploy-to-production\").addContext(\"shared\")"
                + ".addContext(\"staging-aws\").build()");
        assertThat(code).contains("WorkflowJob.builder(\"build-and-test\").addContext(\"nuget\")"
                + ".addContext(\"staging-aws\").build()");
        assertRebuilds(source, yaml);
    }
}
