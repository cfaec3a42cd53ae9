package dev.pipewright.assertions;

import dev.pipewright.CheckResult;
import dev.pipewright.Environment;
import dev.pipewright.Gate;
import dev.pipewright.Permission;
import dev.pipewright.Pipeline;
import dev.pipewright.Role;
import dev.pipewright.ShellStep;
import dev.pipewright.Step;

/**
 * Small valid pipelines for the assertion tests. {@link #shop()} follows the usual policy in most
 * places and breaks it in a few, on purpose: staging is not behind an approval, {@code notify}
 * runs only where production deploys run, {@code preview} is bounded by a regular expression.
 */
final class SamplePipelines {
    static final Environment DEVELOPMENT = Environment.named("development")
            .branches("development")
            .role(deployRole("development"))
            .build();

    static final Environment STAGING = Environment.named("staging")
            .promotedFrom(DEVELOPMENT)
            .branches("master")
            .role(deployRole("staging"))
            .build();

    static final Environment PRODUCTION = Environment.named("production")
            .promotedFrom(STAGING)
            .branches("master")
            .role(deployRole("production"))
            .approval(a -> a.approvers("shop-leads"))
            .protect()
            .build();

    static final Environment PREVIEW = Environment.named("preview")
            .branches("/feature-.*/")
            .build();

    static final Role READER = Role.named("reader")
            .grant("s3:GetObject", "arn:aws:s3:::shop-assets/*")
            .build();

    static final Role WRITER = Role.named("writer")
            .grant("s3:PutObject", "arn:aws:s3:::shop-assets/*")
            .build();

    private SamplePipelines() {
    }

    /**
     * {@code lint -> test -> deploy-development | deploy-staging -> deploy-production ->
     * smoke-production -> notify}, plus {@code preview} and {@code fetch-assets} after test and a
     * tag-only {@code release}.
     */
    static Pipeline shop() {
        return Pipeline.named("shop")
                .environments(DEVELOPMENT, STAGING, PRODUCTION, PREVIEW)
                .role(READER)
                .stage("lint", s -> s.run("./lint.sh"))
                .stage("test", s -> s.needs("lint").run("./mvnw -B verify"))
                .deploy(DEVELOPMENT, s -> s.needs("test").step(deployStep("development")))
                .deploy(STAGING, s -> s.needs("test").step(deployStep("staging")))
                .deploy(PRODUCTION, s -> s.needs("deploy-staging")
                        .gate(Gate.check("alarms-ok", ctx -> CheckResult.pass("no alarm")))
                        .step(deployStep("production")))
                .stage("smoke-production", s -> s.needs("deploy-production").in(PRODUCTION).run("./smoke.sh"))
                .stage("notify", s -> s.needs("smoke-production").run("./notify.sh"))
                .stage("preview", s -> s.needs("test").in(PREVIEW).run("./preview.sh"))
                .stage("fetch-assets", s -> s.needs("test").as(READER).run("./fetch.sh", r -> r.permissions(
                        Permission.of("s3:GetObject", "arn:aws:s3:::shop-assets/logo.png"))))
                .stage("release", s -> s.filter(f -> f.onlyTags("/v[0-9.]+/").ignoreBranches("/.*/"))
                        .run("./release.sh"))
                .build();
    }

    /**
     * Valid, but against least privilege: {@code sync} holds {@code writer} and only reads;
     * {@code audit} holds {@code reader} and its steps declare no permission at all.
     */
    static Pipeline withUnusedRoles() {
        return Pipeline.named("assets")
                .role(READER)
                .role(WRITER)
                .stage("sync", s -> s.as(READER).as(WRITER).run("./sync.sh", r -> r.permissions(
                        Permission.of("s3:GetObject", "arn:aws:s3:::shop-assets/index.html"))))
                .stage("audit", s -> s.needs("sync").as(READER).run("./audit.sh"))
                .build();
    }

    private static Step deployStep(String environment) {
        return ShellStep.builder("./deploy.sh " + environment)
                .name("deploy to " + environment)
                .permissions(Permission.of("lambda:UpdateFunctionCode", function(environment)))
                .build();
    }

    private static Role deployRole(String environment) {
        return Role.named("deploy-" + environment)
                .grant("lambda:UpdateFunctionCode", function(environment))
                .build();
    }

    private static String function(String environment) {
        return "arn:aws:lambda:eu-west-2:111111111111:function:shop-" + environment;
    }
}
