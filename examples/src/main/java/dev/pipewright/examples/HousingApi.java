package dev.pipewright.examples;

import dev.pipewright.Environment;
import dev.pipewright.Permission;
import dev.pipewright.Pipeline;
import dev.pipewright.Role;
import dev.pipewright.ShellStep;
import dev.pipewright.Step;

/**
 * The delivery pipeline of a council's housing API, as its team runs it: every branch is
 * format-checked, built and tested; the {@code development} branch deploys to development; the
 * {@code master} branch deploys to staging and then production, each behind a manual approval,
 * and publishes the OpenAPI definition after every production deploy. Each environment has its
 * own least-privilege deployment role.
 *
 * <p>It runs in {@code examples/housing-api}, a small service whose checks, build and tests need
 * nothing but a JDK: {@code run housing-api --repo examples/housing-api --branch development
 * --approve all}. Its deploy steps publish into a local sandbox folder until the aws module
 * deploys to AWS Lambda.
 */
public final class HousingApi {
    private static final String ACCOUNT = "111111111111";
    private static final String REGION = "eu-west-2";

    public static final Environment DEVELOPMENT = Environment.named("development")
            .branches("development")
            .putVariable("STAGE", "development")
            .role(deployRole("development"))
            .circleci(c -> c.context("housing-api-development"))
            .build();

    public static final Environment STAGING = Environment.named("staging")
            .promotedFrom(DEVELOPMENT)
            .branches("master")
            .putVariable("STAGE", "staging")
            .role(deployRole("staging"))
            .approval(a -> a.message("Deploy housing-api to staging?"))
            .circleci(c -> c.context("housing-api-staging"))
            .build();

    public static final Environment PRODUCTION = Environment.named("production")
            .promotedFrom(STAGING)
            .branches("master")
            .putVariable("STAGE", "production")
            .role(deployRole("production").toBuilder()
                    .grant("s3:PutObject", "arn:aws:s3:::housing-api-definitions/*")
                    .build())
            .approval(a -> a.message("Deploy housing-api to production?").approvers("housing-leads"))
            .protect()
            .circleci(c -> c.context("housing-api-production"))
            .build();

    private HousingApi() {
    }

    /** The pipeline, validated. */
    public static Pipeline pipeline() {
        return Pipeline.named("housing-api")
                .description("Housing API: build every branch, deploy to development, staging and production")
                .environments(DEVELOPMENT, STAGING, PRODUCTION)
                .circleci(c -> c.docker("cimg/openjdk:17.0"))
                .stage("check-formatting", s -> s.run("./scripts/check-format.sh"))
                .stage("build-and-test", s -> s.needs("check-formatting")
                        .run("./scripts/build.sh", r -> r.name("build"))
                        .run("./scripts/test.sh", r -> r.name("test"))
                        .circleci(c -> c.storeTestResults("build/test-results")
                                .persistToWorkspace(".", "build/housing-api.jar")))
                .deploy(DEVELOPMENT, s -> s.needs("build-and-test").steps(deploySteps(DEVELOPMENT))
                        .circleci(c -> c.attachWorkspace(".")))
                .deploy(STAGING, s -> s.needs("build-and-test").steps(deploySteps(STAGING))
                        .circleci(c -> c.attachWorkspace(".")))
                .deploy(PRODUCTION, s -> s.needs("deploy-staging").steps(deploySteps(PRODUCTION))
                        .circleci(c -> c.attachWorkspace(".")))
                .stage("publish-api-definition", s -> s.needs("deploy-production")
                        .in(PRODUCTION).as(PRODUCTION.role().orElseThrow())
                        .run("./scripts/publish-openapi.sh api/openapi.yaml", r -> r.permissions(
                                Permission.of("s3:PutObject", "arn:aws:s3:::housing-api-definitions/*"))))
                .build();
    }

    /** Install the deployment tools, then deploy the Lambda function as the environment's role. */
    private static Step[] deploySteps(Environment environment) {
        String function = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:housing-api-" + environment.name();
        return new Step[] {
            ShellStep.builder("./scripts/install-deploy-tools.sh").name("install deployment tools").build(),
            ShellStep.builder("./scripts/deploy.sh \"$STAGE\"")
                    .name("deploy to " + environment.name())
                    .permissions(
                            Permission.of("lambda:UpdateFunctionCode", function),
                            Permission.of("lambda:PublishVersion", function),
                            Permission.of("lambda:UpdateAlias", function))
                    .build(),
        };
    }

    /** The role that deploys the function to {@code environment}, and nothing else. */
    private static Role deployRole(String environment) {
        String function = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:housing-api-" + environment;
        return Role.named("deploy-" + environment)
                .description("Deploys housing-api to " + environment)
                .assumes("arn:aws:iam::" + ACCOUNT + ":role/housing-api-deploy-" + environment)
                .grant("lambda:UpdateFunctionCode", function)
                .grant("lambda:PublishVersion", function)
                .grant("lambda:UpdateAlias", function)
                .grant("lambda:GetFunction*", function)
                .build();
    }
}
