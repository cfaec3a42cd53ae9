package dev.pipewright.run;

import dev.pipewright.Check;
import dev.pipewright.CheckResult;
import dev.pipewright.Environment;
import dev.pipewright.Gate;
import dev.pipewright.JavaStep;
import dev.pipewright.OrbStep;
import dev.pipewright.Permission;
import dev.pipewright.Pipeline;
import dev.pipewright.Role;
import dev.pipewright.ShellStep;
import dev.pipewright.Stage;
import dev.pipewright.Step;
import dev.pipewright.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Every value the pipeline digest covers (and some it must ignore) as a plain knob, and a pipeline
 * built from them. Tests change one knob, or several, and compare digests: the mutations in
 * {@link #SEMANTIC} change what the pipeline does, those in {@link #IGNORED} change only what a
 * local run cannot see.
 */
final class DigestSpec {
    // Pipeline and triggers.
    String pipelineName = "housing-api";
    String pushIgnore = "/dependabot-.*/";
    boolean scheduleKind = true;
    String scheduleName = "nightly";
    String cron = "0 2 * * *";
    String scheduleBranch = "master";

    // Hooks and inherited variables.
    String rollbackCommand = "./rollback.sh";
    String notifyCommand = "./notify.sh failed";
    String alwaysCommand = "./clean.sh";
    String inherited = "AWS_DEFAULT_REGION";

    // Roles.
    String deployerName = "deploy-production";
    String deployerArn = "arn:aws:iam::111111111111:role/deploy";
    String grantAction = "lambda:UpdateFunctionCode";
    String grantResource = "arn:aws:lambda:eu-west-2:111111111111:function:housing-api";
    String readerName = "reader";

    // Environments.
    String stagingName = "staging";
    String stagingBranch = "main";
    String stagingVariableKey = "STAGE";
    String stagingVariableValue = "staging";
    String productionTag = "/v\\d+/";
    boolean productionPromoted = true;
    String productionSecret = "SLACK_WEBHOOK_URL";
    boolean productionHasRole = true;
    String approvalName = "approve-production";
    String approvalApprover = "housing-leads";
    Duration approvalTimeout = Duration.ofHours(8);
    boolean productionProtected = true;

    // Stages.
    boolean lintFirst = true;
    String testName = "test";
    boolean stagingNeedsLint;
    boolean smokeInStaging = true;
    boolean lintAsReader;
    String checkName = "alarms-ok";
    boolean checkIsManual;
    String smokeApprover = "qa-team";
    Duration smokeGateTimeout = Duration.ofMinutes(30);
    String command = "./mvnw -B verify";
    String commandVariable = "ci-1";
    String workingDirectory = "api/v1";
    String shell = "/bin/bash -eo pipefail";
    Duration stepTimeout = Duration.ofMinutes(20);
    String orbRegion = "eu-west-2";
    String javaStepName = "notify";
    String customType = "acme.migrate";
    String customDatabase = "housing";
    boolean orbFirst = true;
    String testIgnoreTag = "/wip-.*/";
    String testBranch = "develop";
    String testVariableValue = "1";
    String testSecret = "SONAR_TOKEN";
    Duration testTimeout = Duration.ofMinutes(30);
    int retryAttempts = 2;
    Duration retryBackoff = Duration.ofSeconds(10);

    // Values the digest must ignore.
    String description = "Housing API";
    String approvalMessage = "Deploy to production?";
    String shellStepName = "build and test";
    String circleciImage = "cimg/openjdk:17.0";
    String circleciContext = "housing-api-production";
    String stageResourceClass = "medium";
    Permission stepPermission = Permission.of("s3:GetObject", "*");
    JavaStep.Action javaAction = ctx -> ctx.log("deployed");
    Check check = ctx -> CheckResult.pass("no alarm");
    boolean variablesReversed;

    /** A custom step, as a plug-in would write it. */
    record Migrate(String type, String database) implements Step {
        @Override
        public String name() {
            return "migrate " + database;
        }

        @Override
        public Map<String, String> parameters() {
            return Map.of("database", database);
        }
    }

    /**
     * One change to a spec, given a generated word to put in it.
     *
     * @param name what changes, for reports
     * @param change sets the knob, using the word where the knob takes one
     */
    record Mutation(String name, BiConsumer<DigestSpec, String> change) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Mutation m(String name, BiConsumer<DigestSpec, String> change) {
        return new Mutation(name, change);
    }

    private static Mutation flip(String name, Consumer<DigestSpec> change) {
        return new Mutation(name, (s, w) -> change.accept(s));
    }

    private static String upper(String word) {
        return word.toUpperCase(Locale.ROOT);
    }

    /** Changes that change what the pipeline does; each must change the digest. The word is lower-case letters. */
    static final List<Mutation> SEMANTIC = List.of(
            m("pipeline name", (s, w) -> s.pipelineName += "-" + w),
            m("push trigger filter", (s, w) -> s.pushIgnore = "/" + w + "-.*/"),
            flip("trigger kind", s -> s.scheduleKind = false),
            m("schedule name", (s, w) -> s.scheduleName += "-" + w),
            m("schedule cron", (s, w) -> s.cron = "0 " + (2 + w.length()) + " * * *"),
            m("schedule branch", (s, w) -> s.scheduleBranch = "release-" + w),
            m("role name", (s, w) -> s.deployerName += "-" + w),
            m("role assumes", (s, w) -> s.deployerArn += "-" + w),
            m("role grant action", (s, w) -> s.grantAction = "lambda:" + w),
            m("role grant resource", (s, w) -> s.grantResource += "-" + w),
            m("stage role name", (s, w) -> s.readerName += "-" + w),
            m("environment name", (s, w) -> s.stagingName += "-" + w),
            m("environment branch filter", (s, w) -> s.stagingBranch = "release-" + w),
            m("environment tag filter", (s, w) -> s.productionTag = "/" + w + "-\\d+/"),
            m("environment variable name", (s, w) -> s.stagingVariableKey += "_" + upper(w)),
            m("environment variable value", (s, w) -> s.stagingVariableValue += "-" + w),
            flip("environment promotion", s -> s.productionPromoted = false),
            m("environment secret name", (s, w) -> s.productionSecret += "_" + upper(w)),
            flip("environment role", s -> s.productionHasRole = false),
            m("environment approval name", (s, w) -> s.approvalName += "-" + w),
            m("environment approval approvers", (s, w) -> s.approvalApprover = w),
            m("environment approval timeout", (s, w) -> s.approvalTimeout = Duration.ofHours(8 + w.length())),
            flip("environment protection", s -> s.productionProtected = false),
            flip("stage order", s -> s.lintFirst = false),
            m("stage name", (s, w) -> s.testName += "-" + w),
            flip("stage needs", s -> s.stagingNeedsLint = true),
            flip("stage environment", s -> s.smokeInStaging = false),
            flip("stage roles", s -> s.lintAsReader = true),
            m("gate name", (s, w) -> s.checkName += "-" + w),
            flip("gate kind", s -> s.checkIsManual = true),
            m("gate approvers", (s, w) -> s.smokeApprover = w),
            m("gate timeout", (s, w) -> s.smokeGateTimeout = Duration.ofMinutes(30 + w.length())),
            m("shell command", (s, w) -> s.command += " -P" + w),
            m("shell environment", (s, w) -> s.commandVariable = w),
            m("shell working directory", (s, w) -> s.workingDirectory = w),
            m("shell", (s, w) -> s.shell = "/bin/" + w),
            m("shell timeout", (s, w) -> s.stepTimeout = Duration.ofMinutes(20 + w.length())),
            m("orb argument", (s, w) -> s.orbRegion = w),
            m("java step name", (s, w) -> s.javaStepName += "-" + w),
            m("step type", (s, w) -> s.customType += w),
            m("step parameter", (s, w) -> s.customDatabase = w),
            flip("step order", s -> s.orbFirst = false),
            m("stage tag filter", (s, w) -> s.testIgnoreTag = "/" + w + "-.*/"),
            m("stage branch filter", (s, w) -> s.testBranch = w),
            m("stage variable", (s, w) -> s.testVariableValue = w),
            m("stage secret", (s, w) -> s.testSecret += "_" + upper(w)),
            m("stage timeout", (s, w) -> s.testTimeout = Duration.ofMinutes(30 + w.length())),
            m("retry attempts", (s, w) -> s.retryAttempts = Math.min(10, 2 + w.length())),
            m("retry backoff", (s, w) -> s.retryBackoff = Duration.ofSeconds(10 + w.length())),
            m("stage onFailure step", (s, w) -> s.rollbackCommand += " " + w),
            m("pipeline onFailure step", (s, w) -> s.notifyCommand += " " + w),
            m("pipeline always step", (s, w) -> s.alwaysCommand += " " + w),
            m("inherited variable", (s, w) -> s.inherited = "AWS_" + upper(w)));

    /** Changes a local run does not see; none may change the digest. */
    static final List<Mutation> IGNORED = List.of(
            m("descriptions", (s, w) -> s.description = w),
            m("approval message", (s, w) -> s.approvalMessage = w),
            m("shell step display name", (s, w) -> s.shellStepName = w),
            m("circleci executor", (s, w) -> s.circleciImage = "cimg/" + w + ":1"),
            m("circleci context", (s, w) -> s.circleciContext = w),
            m("circleci resource class", (s, w) -> s.stageResourceClass = w),
            m("step permissions", (s, w) -> s.stepPermission = Permission.of("s3:" + w, "*")),
            flip("java step action object", s -> s.javaAction = ctx -> ctx.log("deployed")),
            flip("check gate code object", s -> s.check = ctx -> CheckResult.pass("no alarm")),
            flip("variables insertion order", s -> s.variablesReversed = true));

    /** The circleci-only subset of {@link #IGNORED}. */
    static List<Mutation> circleciOnly() {
        return IGNORED.stream().filter(m -> m.name().startsWith("circleci")).toList();
    }

    /** The default spec changed by {@code mutations}, each given {@code word}. */
    static DigestSpec with(List<Mutation> mutations, String word) {
        DigestSpec spec = new DigestSpec();
        mutations.forEach(m -> m.change().accept(spec, word));
        return spec;
    }

    Pipeline build() {
        Role deployer = Role.named(deployerName).description(description).assumes(deployerArn)
                .grant(grantAction, grantResource).build();
        Map<String, String> stagingVariables = new LinkedHashMap<>();
        stagingVariables.put(stagingVariableKey, stagingVariableValue);
        stagingVariables.put("REGION", "eu-west-2");
        Environment staging = Environment.named(stagingName).description(description).branches("master", stagingBranch)
                .variables(ordered(stagingVariables)).build();
        Environment.Builder production = Environment.named("production").description(description)
                .branches("master").tags(productionTag).secrets(productionSecret, "PAGER_KEY")
                .approval(a -> a.name(approvalName).message(approvalMessage).approvers(approvalApprover)
                        .timeout(approvalTimeout))
                .circleci(c -> c.context(circleciContext));
        if (productionPromoted) {
            production.promotedFrom(staging);
        }
        if (productionHasRole) {
            production.role(deployer);
        }
        if (productionProtected) {
            production.protect();
        }
        Environment prod = production.build();

        Trigger second = scheduleKind ? Trigger.schedule(scheduleName, cron, scheduleBranch)
                : Trigger.push(f -> f.onlyBranches(scheduleBranch));
        Pipeline.Draft draft = Pipeline.named(pipelineName).description(description)
                .environments(staging, prod)
                .role(reader())
                .trigger(Trigger.push(f -> f.ignoreBranches(pushIgnore)))
                .trigger(second)
                .circleci(c -> c.docker(circleciImage).orb("aws-cli", "circleci/aws-cli@5.1"))
                .onFailure(ShellStep.of(notifyCommand))
                .always(ShellStep.of(alwaysCommand))
                .inherit(inherited);
        Consumer<Stage.Builder> lint = s -> {
            s.run("./mvnw -B spotless:check");
            if (lintAsReader) {
                s.as(reader());
            }
        };
        Consumer<Stage.Builder> test = this::test;
        Pipeline.Builder b = lintFirst ? draft.stage("lint", lint).stage(testName, test)
                : draft.stage(testName, test).stage("lint", lint);
        return b
                .stage("smoke", s -> {
                    s.needs(testName).run("./smoke.sh")
                            .gate(Gate.manualApproval(a -> a.name("smoke-ok").approvers(smokeApprover)
                                    .timeout(smokeGateTimeout)));
                    if (smokeInStaging) {
                        s.in(staging);
                    }
                })
                .deploy(staging, s -> {
                    if (stagingNeedsLint) {
                        s.needs(testName, "lint");
                    } else {
                        s.needs(testName);
                    }
                    s.run("./deploy.sh staging");
                })
                .deploy(prod, s -> s.needs("deploy-" + stagingName).run("./deploy.sh production")
                        .onFailure(ShellStep.of(rollbackCommand)))
                .build();
    }

    private void test(Stage.Builder s) {
        s.description(description)
                .run(command, r -> r.name(shellStepName).putEnvironment("CI", commandVariable)
                        .putEnvironment("MAVEN_OPTS", "-Xmx1g").workingDirectory(workingDirectory).shell(shell)
                        .timeout(stepTimeout).permissions(stepPermission));
        Step orb = OrbStep.of("aws-cli/setup", Map.of("region", orbRegion));
        Step custom = new Migrate(customType, customDatabase);
        if (orbFirst) {
            s.step(orb).step(custom);
        } else {
            s.step(custom).step(orb);
        }
        s.java(javaStepName, javaAction);
        s.as(reader());
        s.gate(checkIsManual ? Gate.manualApproval(a -> a.name(checkName)) : Gate.check(checkName, check));
        s.filter(f -> f.onlyBranches("master", testBranch).ignoreTags(testIgnoreTag));
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("LEVEL", testVariableValue);
        variables.put("MODE", "ci");
        ordered(variables).forEach(s::putVariable);
        s.secrets(testSecret, "NPM_TOKEN");
        s.timeout(testTimeout).retry(retryAttempts, retryBackoff);
        s.circleci(c -> c.resourceClass(stageResourceClass));
    }

    private Role reader() {
        return Role.named(readerName).description(description).build();
    }

    private Map<String, String> ordered(Map<String, String> variables) {
        if (!variablesReversed) {
            return variables;
        }
        List<Map.Entry<String, String>> entries = new ArrayList<>(variables.entrySet());
        Collections.reverse(entries);
        Map<String, String> reversed = new LinkedHashMap<>();
        entries.forEach(e -> reversed.put(e.getKey(), e.getValue()));
        return reversed;
    }
}
