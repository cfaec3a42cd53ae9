package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoleTest {
    private static final String ARN = "arn:aws:iam::111111111111:role/housing-api-deploy-production";
    private static final String FUNCTION = "arn:aws:lambda:eu-west-2:111111111111:function:housing-api-production";

    @Test
    void build_validRole_keepsEverything() {
        Role role = Role.named("deploy-production").description("Deploys production").assumes(ARN)
                .grant("lambda:UpdateFunctionCode", FUNCTION).grant("lambda:Get*", FUNCTION).build();

        assertThat(role.name()).isEqualTo("deploy-production");
        assertThat(role.description()).contains("Deploys production");
        assertThat(role.assumes()).contains(ARN);
        assertThat(role.grants()).containsExactly(Permission.of("lambda:UpdateFunctionCode", FUNCTION),
                Permission.of("lambda:Get*", FUNCTION));
        assertThat(role).hasToString("role 'deploy-production'");
    }

    @Test
    void build_minimalRole_isOpaque() {
        Role role = Role.named("reader").build();

        assertThat(role.assumes()).isEmpty();
        assertThat(role.grants()).isEmpty();
        assertThat(role.allows(Permission.of("s3:GetObject", "*"))).isFalse();
    }

    @Test
    void allows_grantCoveringNeed_allows() {
        Role role = Role.named("deployer").grant("lambda:Get*", FUNCTION).build();

        assertThat(role.allows(Permission.of("lambda:GetFunction", FUNCTION))).isTrue();
        assertThat(role.allows(Permission.of("lambda:UpdateFunctionCode", FUNCTION))).isFalse();
    }

    @Test
    void build_invalidName_reportsNameRule() {
        Problem p = Rejected.problem(() -> Role.named("deploy production").build());

        assertThat(p.path()).isEqualTo("name");
        assertThat(p.message()).isEqualTo("'deploy production' is not a valid name.");
        assertThat(p.fix()).contains("start with a letter");
    }

    @Test
    void build_blankIdentity_reportsAssumes() {
        InvalidPipelineException e = Rejected.by(() -> Role.named("deployer").assumes("  ").build());

        assertThat(e.subject()).isEqualTo("Role 'deployer'");
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("assumes");
            assertThat(p.message()).isEqualTo("a blank identity was given.");
        });
    }

    @Test
    void build_invalidGrants_reportEachWithTheirCause() {
        List<Problem> problems = Rejected.problems(() -> Role.named("deployer")
                .grant("", "*").grant("s3:GetObject", null).build());

        assertThat(problems).extracting(Problem::path).containsExactly("grant", "grant");
        assertThat(problems.get(0).message()).isEqualTo("a permission's action must not be blank.");
        assertThat(problems.get(1).message()).isEqualTo("no resource was given.");
    }

    @Test
    void build_nulls_reportedWithPathsNotThrown() {
        List<Problem> problems = Rejected.problems(() -> Role.named(null).description(null).assumes(null)
                .grants((Permission) null).build());

        assertThat(problems).extracting(Problem::path).containsExactly("name", "description", "assumes", "grants");
    }

    @Test
    void grants_replacesEarlierGrants() {
        Role role = Role.named("r").grant("a:B", "*").grants(Permission.of("c:D", "*")).build();

        assertThat(role.grants()).containsExactly(Permission.of("c:D", "*"));
    }

    @Test
    void toBuilder_build_equalsOriginal() {
        Role role = Role.named("deploy-production").description("d").assumes(ARN).grant("lambda:Get*", FUNCTION)
                .build();

        assertThat(role.toBuilder().build()).isEqualTo(role).hasSameHashCodeAs(role);
        assertThat(role.toBuilder().grant("s3:PutObject", "*").build()).isNotEqualTo(role);
    }
}
