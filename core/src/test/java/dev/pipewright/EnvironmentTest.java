package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTest {
    private static final Role DEPLOYER = Role.named("deploy-production").assumes("arn:aws:iam::1:role/deploy").build();

    @Test
    void build_fullEnvironment_keepsEverything() {
        Environment staging = Environment.named("staging").branches("master").build();
        Environment production = Environment.named("production").description("live").promotedFrom(staging)
                .branches("master").tags("/v.*/").putVariable("STAGE", "production").secrets("SLACK_WEBHOOK_URL")
                .role(DEPLOYER).approval(a -> a.message("Deploy?").approvers("leads")).protect()
                .circleci(c -> c.context("housing-api-production")).build();

        assertThat(production.name()).isEqualTo("production");
        assertThat(production.description()).contains("live");
        assertThat(production.promotedFrom()).contains(staging);
        assertThat(production.filter()).isEqualTo(Filter.builder().onlyBranches("master").onlyTags("/v.*/").build());
        assertThat(production.variables()).containsExactly(Map.entry("STAGE", "production"));
        assertThat(production.secrets()).containsExactly("SLACK_WEBHOOK_URL");
        assertThat(production.role()).contains(DEPLOYER);
        assertThat(production.approval()).hasValueSatisfying(g -> {
            assertThat(g.name()).isEqualTo("approve-production");
            assertThat(g.approvers()).containsExactly("leads");
        });
        assertThat(production.isProtected()).isTrue();
        assertThat(production.circleci().contexts()).containsExactly("housing-api-production");
        assertThat(production).hasToString("environment 'production'");
    }

    @Test
    void named_default_everyBranchNoTagNoRoleNoApproval() {
        Environment e = Environment.named("development").build();

        assertThat(e.filter()).isEqualTo(Filter.allBranches());
        assertThat(e.role()).isEmpty();
        assertThat(e.approval()).isEmpty();
        assertThat(e.isProtected()).isFalse();
        assertThat(e.promotedFrom()).isEmpty();
        assertThat(e.circleci()).isEqualTo(CircleCiOptions.none());
    }

    @Test
    void approval_default_namedAfterTheEnvironment() {
        Gate approval = Environment.named("staging").approval().build().approval().orElseThrow();

        assertThat(approval.name()).isEqualTo("approve-staging");
        assertThat(approval.isManualApproval()).isTrue();
    }

    @Test
    void approval_manualApprovalGate_kept() {
        Gate gate = Gate.manualApproval(a -> a.name("sign-off"));

        assertThat(Environment.named("staging").approval(gate).build().approval()).contains(gate);
    }

    @Test
    void approval_checkGate_reportedAsNotAManualApproval() {
        Problem p = Rejected.problem(() -> Environment.named("production")
                .approval(Gate.check("alarms-ok", ctx -> CheckResult.pass("ok"))).build());

        assertThat(p.path()).isEqualTo("approval");
        assertThat(p.message()).isEqualTo("check 'alarms-ok' is not a manual approval.");
        assertThat(p.fix()).contains("Gate.manualApproval(...)");
    }

    @Test
    void approval_invalidDetails_reportedUnderApproval() {
        InvalidPipelineException e = Rejected.by(() -> Environment.named("production")
                .approval(a -> a.timeout(Duration.ZERO)).build());

        assertThat(e.subject()).isEqualTo("Environment 'production'");
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("approval > timeout");
            assertThat(p.message()).isEqualTo("must be positive but was PT0S.");
        });
    }

    @Test
    void protect_withoutApproval_reportsProtect() {
        Problem p = Rejected.problem(() -> Environment.named("production").branches("master").protect().build());

        assertThat(p.path()).isEqualTo("protect");
        assertThat(p.message()).isEqualTo("a protected environment needs an approval to enter it, but none was given.");
        assertThat(p.fix()).isEqualTo("Add .approval(...) or drop .protect().");
    }

    @Test
    void protect_withUnrestrictedBranches_reportsProtect() {
        Problem p = Rejected.problem(() -> Environment.named("production").approval().protect().build());

        assertThat(p.path()).isEqualTo("protect");
        assertThat(p.message()).isEqualTo("a protected environment accepts deploys from every branch.");
        assertThat(p.fix()).contains(".branches(...)").contains("ignoreBranches");
    }

    @Test
    void protect_withNeitherApprovalNorRestriction_reportsBoth() {
        List<Problem> problems = Rejected.problems(() -> Environment.named("production").protect().build());

        assertThat(problems).extracting(Problem::path).containsExactly("protect", "protect");
    }

    @Test
    void protect_tagOnlyDeploysWithApproval_valid() {
        Environment e = Environment.named("production").filter(f -> f.ignoreBranches("/.*/")).tags("/v.*/")
                .approval().protect().build();

        assertThat(e.isProtected()).isTrue();
        assertThat(e.filter().accepts(Ref.tag("v1"))).isTrue();
        assertThat(e.filter().accepts(Ref.branch("master"))).isFalse();
    }

    @Test
    void build_variableAlsoSecret_reportsSecrets() {
        Problem p = Rejected.problem(() -> Environment.named("staging").putVariable("API_KEY", "x")
                .secrets("API_KEY").build());

        assertThat(p.path()).isEqualTo("secrets");
        assertThat(p.message()).isEqualTo("'API_KEY' is both a variable and a secret.");
        assertThat(p.fix()).contains("secret only");
    }

    @Test
    void build_invalidVariableNames_reportedForVariablesAndSecrets() {
        List<Problem> problems = Rejected.problems(() -> Environment.named("staging").putVariable("api-url", "x")
                .secrets("9LIVES").build());

        assertThat(problems).extracting(Problem::path, Problem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("variables", "'api-url' is not a valid environment variable name."),
                org.assertj.core.groups.Tuple.tuple("secrets", "'9LIVES' is not a valid environment variable name."));
        assertThat(problems.get(0).fix()).contains("letters, digits and '_'");
    }

    @Test
    void build_circlePrefix_reportedAsReserved() {
        List<Problem> problems = Rejected.problems(() -> Environment.named("staging")
                .putVariable("CIRCLE_BRANCH", "x").secrets("CIRCLE_TOKEN").build());

        assertThat(problems).extracting(Problem::message).containsExactly(
                "'CIRCLE_BRANCH' starts with CIRCLE_, which CircleCI reserves for its own variables.",
                "'CIRCLE_TOKEN' starts with CIRCLE_, which CircleCI reserves for its own variables.");
    }

    @Test
    void build_invalidFilterRegex_reportedWithFilterPath() {
        List<Problem> problems = Rejected.problems(() -> Environment.named("staging").branches("/release-(/")
                .filter(f -> f.ignoreTags("/[/")).build());

        assertThat(problems).extracting(Problem::path).containsExactly("filter > branches.only", "filter > tags.ignore");
        assertThat(problems.get(0).message()).startsWith("invalid regular expression /release-(/");
    }

    @Test
    void build_invalidName_reportsNameRule() {
        Problem p = Rejected.problem(() -> Environment.named("prod env").build());

        assertThat(p.path()).isEqualTo("name");
        assertThat(p.message()).isEqualTo("'prod env' is not a valid name.");
        assertThat(p.fix()).isEqualTo(Problems.NAME_RULE);
    }

    @Test
    void build_invalidCircleCiOptions_reportedUnderCircleci() {
        Problem p = Rejected.problem(() -> Environment.named("staging").circleci(c -> c.context(" ")).build());

        assertThat(p.path()).isEqualTo("circleci > context");
    }

    @Test
    void build_nulls_reportedWithPathsNotThrown() {
        assertThat(Rejected.problem(() -> Environment.named(null).build()).path()).isEqualTo("name");

        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("STAGE", null);
        List<Problem> problems = Rejected.problems(() -> Environment.named("staging").description(null)
                .branches((String) null).filter(null).promotedFrom(null).variables(nullValue).putVariable(null, "x")
                .secrets((String[]) null).role(null).approval((Gate) null).approval((java.util.function.Consumer<Gate.Builder>) null)
                .circleci(null).build());

        assertThat(problems).extracting(Problem::path).containsExactly("description", "filter", "promotedFrom",
                "variables.STAGE", "variables", "secrets", "role", "approval", "approval", "circleci",
                "filter > branches.only");
    }

    @Test
    void variables_replacesEarlierVariables() {
        Environment e = Environment.named("staging").putVariable("A", "1").variables(Map.of("B", "2")).build();

        assertThat(e.variables()).containsExactly(Map.entry("B", "2"));
    }

    @Test
    void isPromotedFrom_followsTheWholeChain() {
        Environment development = Environment.named("development").build();
        Environment staging = Environment.named("staging").promotedFrom(development).build();
        Environment production = Environment.named("production").promotedFrom(staging).build();

        assertThat(production.isPromotedFrom(staging)).isTrue();
        assertThat(production.isPromotedFrom(development)).isTrue();
        assertThat(development.isPromotedFrom(production)).isFalse();
        assertThat(staging.isPromotedFrom(staging)).isFalse();
        assertThat(production.promotionDepth()).isEqualTo(2);
        assertThat(development.promotionDepth()).isZero();
    }

    @Test
    void toBuilder_build_equalsOriginal() {
        Environment staging = Environment.named("staging").branches("master").build();
        Environment production = Environment.named("production").description("d").promotedFrom(staging)
                .branches("master").tags("/v.*/").putVariable("STAGE", "production").secrets("TOKEN")
                .role(DEPLOYER).approval(a -> a.approvers("leads")).protect()
                .circleci(c -> c.context("production")).build();

        assertThat(production.toBuilder().build()).isEqualTo(production).hasSameHashCodeAs(production);
        assertThat(Environment.named("x").build().toBuilder().build()).isEqualTo(Environment.named("x").build());
    }
}
