package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.Environment;
import dev.pipewright.Filter;
import dev.pipewright.Gate;
import dev.pipewright.CheckResult;
import dev.pipewright.JavaStep;
import dev.pipewright.OrbStep;
import dev.pipewright.Pipeline;
import dev.pipewright.PipewrightException;
import dev.pipewright.Ref;
import dev.pipewright.Role;
import dev.pipewright.ShellStep;
import dev.pipewright.Trigger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CircleCiCompilerTest {
    private static final Role DEPLOYER = Role.named("deployer")
            .assumes("arn:aws:iam::123456789012:role/deployer").grant("lambda:*", "*").build();
    private static final Environment STAGING = Environment.named("staging").branches("main")
            .putVariable("STAGE", "staging").secrets("API_TOKEN").role(DEPLOYER)
            .approval(a -> a.message("ship?")).circleci(c -> c.context("api-staging")).build();

    private static Object at(Object root, Object... path) {
        Object node = root;
        for (Object p : path) {
            node = p instanceof Integer i ? ((List<?>) node).get(i) : ((Map<?, ?>) node).get(p);
        }
        return node;
    }

    private static Map<String, Object> data(Pipeline p) {
        CircleCiConfig config = CircleCiCompiler.compile(p);
        assertThat(config.check()).as("the compiler's output passes CircleCI's reference checks").isEmpty();
        assertThat(config.warnings()).as("the compiler writes only keys the model knows").isEmpty();
        return config.data();
    }

    @Test
    void stagesBecomeJobs_needsBecomeRequires_defaultExecutor() {
        Map<String, Object> d = data(Pipeline.named("api")
                .stage("test", s -> s.run("make test"))
                .stage("package", s -> s.needs("test").run("make package", r -> r.name("package it")
                        .workingDirectory("app").shell("/bin/bash -eo pipefail").putEnvironment("MODE", "ci")))
                .build());
        assertThat(at(d, "version")).isEqualTo(2.1);
        assertThat(at(d, "jobs", "test")).isEqualTo(Map.of(
                "docker", List.of(Map.of("image", CircleCiCompiler.DEFAULT_IMAGE)),
                "steps", List.of(Map.of("checkout", Map.of()),
                        Map.of("run", Map.of("command", "make test")))));
        assertThat(at(d, "jobs", "package", "steps", 1, "run")).isEqualTo(Map.of("name", "package it",
                "command", "make package", "shell", "/bin/bash -eo pipefail", "environment", Map.of("MODE", "ci"),
                "working_directory", "app"));
        assertThat(at(d, "workflows", "api", "jobs")).isEqualTo(List.of(
                Map.of("test", Map.of()), Map.of("package", Map.of("requires", List.of("test")))));
    }

    @Test
    void deploy_bringsApprovalJobFiltersContextVariablesAndOidcRole_noSecretValues() {
        Map<String, Object> d = data(Pipeline.named("api")
                .environments(STAGING)
                .stage("test", s -> s.run("make test"))
                .deploy(STAGING, s -> s.needs("test").run("make deploy", r -> r.permissions(
                        dev.pipewright.Permission.of("lambda:UpdateFunctionCode", "x"))))
                .build());
        Map<String, Object> filters = Map.of("branches", Map.of("only", List.of("main")));
        assertThat(at(d, "workflows", "api", "jobs")).isEqualTo(List.of(
                Map.of("test", Map.of()),
                Map.of("approve-staging", Map.of("type", "approval", "requires", List.of("test"), "filters", filters)),
                Map.of("deploy-staging", Map.of("context", List.of("api-staging"),
                        "requires", List.of("approve-staging"), "filters", filters))));
        assertThat(at(d, "jobs", "deploy-staging", "environment")).isEqualTo(Map.of("STAGE", "staging"));
        assertThat(at(d, "orbs")).isEqualTo(Map.of("aws-cli", CircleCiCompiler.AWS_CLI_ORB));
        assertThat(at(d, "jobs", "deploy-staging", "steps", 1)).isEqualTo(Map.of("aws-cli/setup", Map.of(
                "role_arn", "arn:aws:iam::123456789012:role/deployer", "role_session_name", "api-deploy-staging")));
        assertThat(d.toString()).doesNotContain("API_TOKEN").doesNotContainIgnoringCase("aws_access_key_id")
                .doesNotContainIgnoringCase("secret_access_key");
    }

    @Test
    void oidcSession_lastsTheStageTimeout_withinStsLimits_asTheOrbsString() {
        Pipeline p = Pipeline.named("api")
                .environments(STAGING)
                .deploy(STAGING, s -> s.run("make deploy").timeout(Duration.ofMinutes(90).plusMillis(1)))
                .build();
        Map<String, Object> d = data(p);

        assertThat(at(d, "jobs", "deploy-staging", "steps", 1)).isEqualTo(Map.of("aws-cli/setup", Map.of(
                "role_arn", "arn:aws:iam::123456789012:role/deployer", "role_session_name", "api-deploy-staging",
                "session_duration", "5401")));
        assertThat(CircleCiCompiler.generate(p)).contains("session_duration: \"5401\"");
        assertThat(CircleCiCompiler.sessionDuration(Duration.ofMinutes(5))).isEqualTo("900");
        assertThat(CircleCiCompiler.sessionDuration(Duration.ofHours(13))).isEqualTo("43200");
        assertThat(CircleCiCompiler.sessionDuration(Duration.ofHours(1))).isEqualTo("3600");
    }

    @Test
    void oidcRole_inAJobWithoutContext_isRefusedNamingStageRoleAndFix() {
        Environment staging = Environment.named("staging").branches("main").role(DEPLOYER).build();
        Pipeline p = Pipeline.named("api").environments(staging).deploy(staging, s -> s.run("make deploy")).build();

        assertThatThrownBy(() -> CircleCiCompiler.compile(p))
                .isInstanceOf(PipewrightException.class)
                .hasMessage("Pipeline 'api' cannot be exported to CircleCI: stage 'deploy-staging' assumes role"
                        + " 'deployer' through OIDC, but its job has no context, and CircleCI gives an OIDC token only"
                        + " to jobs with a context. Give environment 'staging' a context of its own:"
                        + " Environment.named(\"staging\")...circleci(c -> c.context(\"api-staging\")).");
    }

    @Test
    void oidcRole_whoseOnlyContextAnotherEnvironmentUses_isRefused_aContextOfItsOwnPasses() {
        Role prodDeployer = Role.named("prod-deployer").assumes("arn:aws:iam::123456789012:role/prod-deployer").build();
        Environment sharing = Environment.named("production").branches("main").role(prodDeployer)
                .circleci(c -> c.context("api-staging")).build();
        Environment own = Environment.named("production").branches("main").role(prodDeployer)
                .circleci(c -> c.context("api-production").context("api-notifications")).build();

        assertThatThrownBy(() -> CircleCiCompiler.compile(twoEnvironments(sharing)))
                .hasMessage("Pipeline 'api' cannot be exported to CircleCI: stage 'deploy-staging' assumes"
                        + " role 'deployer' through OIDC with contexts [api-staging], which environment [production]"
                        + " also use: the role's trust policy could not tell the environments apart by context. Use a"
                        + " context in one environment only, and give every environment one of its own, such as"
                        + " 'api-production' for [production].");
        Map<String, Object> d = data(twoEnvironments(own));
        assertThat(at(d, "jobs", "deploy-production", "steps", 1)).isEqualTo(Map.of("aws-cli/setup", Map.of(
                "role_arn", "arn:aws:iam::123456789012:role/prod-deployer",
                "role_session_name", "api-deploy-production")));
    }

    private static Pipeline twoEnvironments(Environment production) {
        return Pipeline.named("api").environments(STAGING, production)
                .deploy(STAGING, s -> s.run("make deploy"))
                .deploy(production, s -> s.needs("deploy-staging").run("make deploy"))
                .build();
    }

    @Test
    void sharedExecutor_becomesReusableDefault_stagesMayOverride() {
        Map<String, Object> d = data(Pipeline.named("api")
                .circleci(c -> c.docker("cimg/openjdk:17.0", "cimg/postgres:16.0").resourceClass("large"))
                .stage("test", s -> s.run("x"))
                .stage("arm", s -> s.run("y").circleci(c -> c.machine("ubuntu-2404:current").resourceClass("arm.medium")))
                .stage("small", s -> s.run("z").circleci(c -> c.resourceClass("small")))
                .build());
        assertThat(at(d, "executors", "default")).isEqualTo(Map.of("docker", List.of(
                Map.of("image", "cimg/openjdk:17.0"), Map.of("image", "cimg/postgres:16.0")), "resource_class", "large"));
        assertThat(at(d, "jobs", "test", "executor")).isEqualTo("default");
        assertThat(((Map<?, ?>) at(d, "jobs", "test")).containsKey("resource_class")).isFalse();
        assertThat(at(d, "jobs", "arm", "machine")).isEqualTo(Map.of("image", "ubuntu-2404:current"));
        assertThat(at(d, "jobs", "arm", "resource_class")).isEqualTo("arm.medium");
        assertThat(at(d, "jobs", "small", "resource_class")).isEqualTo("small");
    }

    @Test
    void circleciOptions_cachesWorkspacesResultsArtifactsOrbSteps() {
        Map<String, Object> d = data(Pipeline.named("api")
                .circleci(c -> c.orb("node", "circleci/node@5.2.0").restoreCache("deps-{{ checksum \"lock\" }}"))
                .stage("build", s -> s.step(OrbStep.of("node/install-packages", Map.of("cache-path", "~/.npm")))
                        .circleci(c -> c.saveCache("deps-{{ checksum \"lock\" }}", "node_modules")
                                .persistToWorkspace(".", "dist").storeTestResults("reports").storeArtifacts("dist")))
                .stage("ship", s -> s.needs("build").run("ls dist").circleci(c -> c.attachWorkspace(".")))
                .build());
        assertThat(at(d, "jobs", "build", "steps")).isEqualTo(List.of(
                Map.of("checkout", Map.of()),
                Map.of("restore_cache", Map.of("keys", List.of("deps-{{ checksum \"lock\" }}"))),
                Map.of("node/install-packages", Map.of("cache-path", "~/.npm")),
                Map.of("save_cache", Map.of("key", "deps-{{ checksum \"lock\" }}", "paths", List.of("node_modules"))),
                Map.of("persist_to_workspace", Map.of("root", ".", "paths", List.of("dist"))),
                Map.of("store_test_results", Map.of("path", "reports")),
                Map.of("store_artifacts", Map.of("path", "dist"))));
        assertThat(at(d, "jobs", "ship", "steps", 1)).isEqualTo(Map.of("attach_workspace", Map.of("at", ".")));
    }

    @Test
    void javaStepsAndCheckGates_runThroughTheLauncher() {
        Map<String, Object> d = data(Pipeline.named("api")
                .circleci(c -> c.launcher("java -jar ci/pipeline.jar"))
                .stage("smoke", s -> s.gate(Gate.check("alarms-ok", ctx -> CheckResult.pass("ok")))
                        .java("ping", ctx -> { }))
                .build());
        assertThat(at(d, "jobs", "smoke", "steps")).isEqualTo(List.of(
                Map.of("checkout", Map.of()),
                Map.of("run", Map.of("name", "gate: alarms-ok", "command", "java -jar ci/pipeline.jar gate api smoke alarms-ok")),
                Map.of("run", Map.of("name", "java: ping", "command", "java -jar ci/pipeline.jar step api smoke 1"))));
    }

    @Test
    void hooks_endEveryJobWithWhen_javaHooksNumberedAfterTheSteps() {
        Map<String, Object> d = data(Pipeline.named("api")
                .stage("deploy", s -> s.run("./deploy.sh")
                        .onFailure(ShellStep.of("./rollback.sh"), JavaStep.of("page", ctx -> { })))
                .onFailure(ShellStep.of("./notify.sh failed"))
                .always(ShellStep.builder("./clean.sh").name("clean up").build())
                .build());
        assertThat(at(d, "jobs", "deploy", "steps")).isEqualTo(List.of(
                Map.of("checkout", Map.of()),
                Map.of("run", Map.of("command", "./deploy.sh")),
                Map.of("run", Map.of("command", "./rollback.sh", "when", "on_fail")),
                Map.of("run", Map.of("name", "java: page", "command", "./pipewright step api deploy 3",
                        "when", "on_fail")),
                Map.of("run", Map.of("command", "./notify.sh failed", "when", "on_fail")),
                Map.of("run", Map.of("name", "clean up", "command", "./clean.sh", "when", "always"))));
    }

    @Test
    void orbStepAsHook_isRefused_namingIt() {
        Pipeline p = Pipeline.named("api")
                .circleci(c -> c.orb("slack", "circleci/slack@4.12"))
                .stage("deploy", s -> s.run("./deploy.sh").onFailure(OrbStep.of("slack/notify", Map.of())))
                .build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CircleCiCompiler.compile(p))
                .hasMessageContaining("stage 'deploy' > onFailure step 1 is an orb step")
                .hasMessageContaining("when: on_fail");
    }

    @Test
    void approvalNames_uniqueAndChainedWhenAStageHasSeveral() {
        Map<String, Object> d = data(Pipeline.named("api")
                .stage("a", s -> s.run("x").gate(Gate.manualApproval()))
                .stage("b", s -> s.needs("a").run("y").gate(Gate.manualApproval(g -> g.name("security")))
                        .gate(Gate.manualApproval(g -> g.name("product"))))
                .stage("c", s -> s.needs("a").run("z").gate(Gate.manualApproval(g -> g.name("security"))))
                .build());
        assertThat(at(d, "workflows", "api", "jobs")).isEqualTo(List.of(
                Map.of("approve-a", Map.of("type", "approval")),
                Map.of("a", Map.of("requires", List.of("approve-a"))),
                Map.of("security", Map.of("type", "approval", "requires", List.of("a"))),
                Map.of("product", Map.of("type", "approval", "requires", List.of("security"))),
                Map.of("b", Map.of("requires", List.of("product"))),
                Map.of("security-c", Map.of("type", "approval", "requires", List.of("a"))),
                Map.of("c", Map.of("requires", List.of("security-c")))));
    }

    @Test
    void filters_stageAndEnvironmentCombineExactly() {
        Environment releases = Environment.named("releases").filter(f -> f.onlyBranches("/release-.*/", "main")
                .onlyTags("/v.*/")).build();
        Map<String, Object> d = data(Pipeline.named("api")
                .environments(releases)
                .stage("finite", s -> s.in(releases).branches("main", "dev").run("x"))
                .stage("regexes", s -> s.in(releases).filter(f -> f.onlyBranches("/.*-lts/").onlyTags("/.*-final/")
                        .ignoreTags("v0-final")).run("y"))
                .build());
        assertThat(at(d, "workflows", "api", "jobs", 0, "finite", "filters"))
                .isEqualTo(Map.of("branches", Map.of("only", List.of("main"))));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, List<String>>> regexes =
                (Map<String, Map<String, List<String>>>) at(d, "workflows", "api", "jobs", 1, "regexes", "filters");
        Filter exported = Filter.builder().onlyBranches(regexes.get("branches").get("only").toArray(String[]::new))
                .onlyTags(regexes.get("tags").get("only").toArray(String[]::new)).build();
        for (String branch : List.of("release-1-lts", "release-1", "main", "x-lts", "main-lts")) {
            assertThat(exported.accepts(Ref.branch(branch))).as(branch)
                    .isEqualTo(branch.equals("release-1-lts"));
        }
        for (String tag : List.of("v1-final", "v0-final", "v1", "x-final")) {
            assertThat(exported.accepts(Ref.tag(tag))).as(tag).isEqualTo(tag.equals("v1-final"));
        }
    }

    @Test
    void triggers_restrictedPushNarrowsJobs_schedulesBecomeWorkflows() {
        Map<String, Object> d = data(Pipeline.named("api")
                .trigger(Trigger.push(f -> f.ignoreBranches("/dependabot\\/.*/")))
                .trigger(Trigger.schedule("nightly", "0 2 * * *", "main"))
                .stage("test", s -> s.run("x"))
                .build());
        assertThat(at(d, "workflows", "api", "jobs", 0, "test", "filters"))
                .isEqualTo(Map.of("branches", Map.of("ignore", List.of("/dependabot\\/.*/"))));
        assertThat(at(d, "workflows", "api-nightly")).isEqualTo(Map.of(
                "triggers", List.of(Map.of("schedule", Map.of("cron", "0 2 * * *",
                        "filters", Map.of("branches", Map.of("only", List.of("main")))))),
                "jobs", List.of(Map.of("test", Map.of()))));
    }

    @Test
    void onlySchedules_noPushWorkflow() {
        Map<String, Object> d = data(Pipeline.named("api").trigger(Trigger.schedule("nightly", "0 2 * * *", "main"))
                .stage("test", s -> s.run("x")).build());
        assertThat(List.copyOf(((Map<?, ?>) at(d, "workflows")).keySet())).isEqualTo(List.of("api-nightly"));
    }

    @Test
    void compile_dataIsDeeplyUnmodifiable() {
        Map<String, Object> d = data(Pipeline.named("api").environments(STAGING)
                .deploy(STAGING, s -> s.run("x", r -> r.permissions(dev.pipewright.Permission.of("lambda:X", "y"))))
                .build());
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) at(d, "jobs", "deploy-staging", "environment");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> env.put("X", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
