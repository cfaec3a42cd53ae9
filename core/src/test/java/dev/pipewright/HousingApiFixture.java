package dev.pipewright;

/**
 * The housing API pipeline of the examples module, rebuilt here because core's tests cannot see
 * that module: three environments promoted in order, a protected production, one deployment role
 * per environment.
 */
final class HousingApiFixture {
    static final String FUNCTION = "arn:aws:lambda:eu-west-2:111111111111:function:housing-api-";
    static final Permission PUT_DEFINITION = Permission.of("s3:PutObject", "arn:aws:s3:::housing-api-definitions/*");

    static final Environment DEVELOPMENT = Environment.named("development")
            .branches("development")
            .putVariable("STAGE", "development")
            .role(deployRole("development"))
            .circleci(c -> c.context("housing-api-development"))
            .build();

    static final Environment STAGING = Environment.named("staging")
            .promotedFrom(DEVELOPMENT)
            .branches("master")
            .putVariable("STAGE", "staging")
            .role(deployRole("staging"))
            .approval(a -> a.message("Deploy housing-api to staging?"))
            .circleci(c -> c.context("housing-api-staging"))
            .build();

    static final Environment PRODUCTION = Environment.named("production")
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

    private HousingApiFixture() {
    }

    /** The pipeline up to its last stage, ready for a test to add to and build. */
    static Pipeline.Builder draft() {
        return Pipeline.named("housing-api")
                .description("Housing API")
                .environments(DEVELOPMENT, STAGING, PRODUCTION)
                .circleci(c -> c.docker("cimg/openjdk:17.0"))
                .stage("check-formatting", s -> s.run("./mvnw -B spotless:check"))
                .stage("build-and-test", s -> s.needs("check-formatting")
                        .run("./mvnw -B verify")
                        .circleci(c -> c.storeTestResults("target/surefire-reports")))
                .deploy(DEVELOPMENT, s -> s.needs("build-and-test").steps(deploySteps(DEVELOPMENT)))
                .deploy(STAGING, s -> s.needs("build-and-test").steps(deploySteps(STAGING)))
                .deploy(PRODUCTION, s -> s.needs("deploy-staging").steps(deploySteps(PRODUCTION)))
                .stage("publish-api-definition", s -> s.needs("deploy-production")
                        .in(PRODUCTION).as(PRODUCTION.role().orElseThrow())
                        .run("./deploy/publish-openapi.sh openapi.yaml", r -> r.permissions(PUT_DEFINITION)));
    }

    static Pipeline pipeline() {
        return draft().build();
    }

    static Step[] deploySteps(Environment environment) {
        String function = FUNCTION + environment.name();
        return new Step[] {
            ShellStep.builder("npm ci --prefix deploy").name("install deployment tools").build(),
            ShellStep.builder("./deploy/lambda.sh \"$STAGE\"")
                    .name("deploy to " + environment.name())
                    .permissions(
                            Permission.of("lambda:UpdateFunctionCode", function),
                            Permission.of("lambda:PublishVersion", function))
                    .build(),
        };
    }

    static Role deployRole(String environment) {
        String function = FUNCTION + environment;
        return Role.named("deploy-" + environment)
                .assumes("arn:aws:iam::111111111111:role/housing-api-deploy-" + environment)
                .grant("lambda:UpdateFunctionCode", function)
                .grant("lambda:PublishVersion", function)
                .grant("lambda:GetFunction*", function)
                .build();
    }
}
