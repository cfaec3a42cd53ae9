package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.InvalidPipelineException;
import dev.pipewright.Role;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class AwsRoleTest {
    private static final String ARN = "arn:aws:iam::123456789012:role/housing-api-deploy";

    private static Role.Builder deployer() {
        return Role.named("deployer").assumes(ARN);
    }

    @Test
    void of_groupsGrantsIntoStatements_byResourceThenByActions() {
        Role role = deployer()
                .grant("lambda:UpdateFunctionCode", "arn:aws:lambda:eu-west-2:123456789012:function:api")
                .grant("lambda:PublishVersion", "arn:aws:lambda:eu-west-2:123456789012:function:api")
                .grant("cloudwatch:DescribeAlarms", "*")
                .grant("s3:PutObject", "arn:aws:s3:::specs/*")
                .grant("s3:PutObject", "arn:aws:s3:::docs/*")
                .build();

        AwsRole aws = AwsRole.of(role);

        assertThat(aws.name()).isEqualTo("deployer");
        assertThat(aws.roleArn()).isEqualTo(ARN);
        assertThat(aws.sessionPolicy()).contains("{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":[\"lambda:UpdateFunctionCode\",\"lambda:PublishVersion\"],"
                + "\"Resource\":\"arn:aws:lambda:eu-west-2:123456789012:function:api\"},"
                + "{\"Effect\":\"Allow\",\"Action\":\"cloudwatch:DescribeAlarms\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":[\"arn:aws:s3:::specs/*\","
                + "\"arn:aws:s3:::docs/*\"]}]}");
    }

    @Test
    void of_withoutGrants_hasNoSessionPolicy() {
        assertThat(AwsRole.of(deployer().build()).sessionPolicy()).isEmpty();
    }

    @Test
    void of_withoutIamRoleArn_namesTheRoleAndTheFix() {
        assertThatThrownBy(() -> AwsRole.of(Role.named("deployer").build()))
                .isInstanceOf(InvalidPipelineException.class)
                .hasMessageContaining("role 'deployer' > assumes")
                .hasMessageContaining("no IAM role ARN was given")
                .hasMessageContaining("assumes(\"arn:aws:iam::<account>:role/<name>\")");
        assertThatThrownBy(() -> AwsRole.of(Role.named("deployer").assumes("deployers").build()))
                .hasMessageContaining("'deployers' is not an IAM role ARN");
    }

    @Test
    void build_withSeveralBadOptions_reportsEveryProblem() {
        AwsRole.Builder b = AwsRole.builder(deployer().build())
                .externalId("x")
                .sessionName("has spaces")
                .putSessionTag("team", "housing\u0007")
                .maxSessionDuration(Duration.ofHours(13));

        assertThatThrownBy(b::build).isInstanceOfSatisfying(InvalidPipelineException.class, e ->
                assertThat(e.problems()).extracting(p -> p.path()).containsExactly("role 'deployer' > externalId",
                        "role 'deployer' > sessionName", "role 'deployer' > sessionTag 'team'",
                        "role 'deployer' > maxSessionDuration"));
    }

    @Test
    void sessionPolicy_invalidJson_namesLineAndColumn() {
        AwsRole.Builder b = AwsRole.builder(deployer().build()).sessionPolicy("{\n  \"Statement\": [\n    {,}\n]}");

        assertThatThrownBy(b::build).isInstanceOf(InvalidPipelineException.class)
                .hasMessageContaining("role 'deployer' > sessionPolicy at 3:")
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void sessionPolicy_withoutEffectOrResource_namesTheStatement() {
        AwsRole.Builder b = AwsRole.builder(deployer().build())
                .sessionPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                        + "\"Resource\":\"*\"},{\"Action\":\"s3:*\",\"Principal\":\"*\"}]}");

        assertThatThrownBy(b::build).isInstanceOfSatisfying(InvalidPipelineException.class, e ->
                assertThat(e.problems()).extracting(p -> p.path() + ": " + p.message()).containsExactly(
                        "role 'deployer' > sessionPolicy > Statement[1] > Effect: the Effect is ''.",
                        "role 'deployer' > sessionPolicy > Statement[1]: a statement needs exactly one of Resource and"
                                + " NotResource.",
                        "role 'deployer' > sessionPolicy > Statement[1]: a session policy cannot name a Principal."));
    }

    @Test
    void sessionPolicy_validJson_isKeptCompact() {
        AwsRole aws = AwsRole.builder(deployer().build())
                .sessionPolicy("{ \"Version\": \"2012-10-17\",\n \"Statement\": {\"Effect\": \"Deny\", \"NotAction\":"
                        + " \"s3:*\", \"Resource\": \"*\"} }")
                .build();

        assertThat(aws.sessionPolicy()).contains("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\","
                + "\"NotAction\":\"s3:*\",\"Resource\":\"*\"}}");
    }

    @Test
    void sessionPolicy_longerThanStsTakes_isAProblemWithAFix() {
        AwsRole.Builder b = AwsRole.builder(deployer().build());
        for (int i = 0; i < 40; i++) {
            b.allow(List.of("lambda:UpdateFunctionCode"), List.of("arn:aws:lambda:eu-west-2:123456789012:function:f" + i));
        }
        assertThatThrownBy(b::build).hasMessageContaining("STS takes at most 2048")
                .hasMessageContaining("wildcards");
    }

    @Test
    void sessionDuration_isTheShortestCoveringTheStage_withinStsLimits() {
        AwsRole role = AwsRole.of(deployer().build());

        assertThat(role.sessionDuration(Duration.ofMinutes(20))).isEqualTo(Duration.ofSeconds(1200));
        assertThat(role.sessionDuration(Duration.ofMinutes(20).plusMillis(1))).isEqualTo(Duration.ofSeconds(1201));
        assertThat(role.sessionDuration(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(900));
        assertThat(role.sessionDuration(Duration.ZERO)).isEqualTo(Duration.ofSeconds(900));
        assertThat(role.sessionDuration(Duration.ofHours(3))).isEqualTo(Duration.ofHours(1));

        AwsRole longer = role.toBuilder().maxSessionDuration(Duration.ofHours(4)).build();
        assertThat(longer.sessionDuration(Duration.ofHours(3))).isEqualTo(Duration.ofHours(3));
        assertThat(longer.sessionDuration(Duration.ofHours(5))).isEqualTo(Duration.ofHours(4));

        AwsRole chained = longer.toBuilder().chained().build();
        assertThat(chained.sessionDuration(Duration.ofHours(3))).isEqualTo(Duration.ofHours(1));
        assertThat(chained.sessionDuration(Duration.ofMinutes(20))).isEqualTo(Duration.ofSeconds(1200));
    }

    @Test
    void sessionName_isDerivedFromPipelineStageAndRun_unlessGiven() {
        AwsRole role = AwsRole.of(deployer().build());

        assertThat(role.sessionName("housing-api", "deploy-production", "20261126T101500Z-1a2b3c"))
                .isEqualTo("housing-api.deploy-production.20261126T101500Z-1a2b3c");
        assertThat(role.toBuilder().sessionName("fixed").build().sessionName("p", "s", "r")).isEqualTo("fixed");
    }

    @Test
    void sessionName_ofLongNames_keepsTheRunAndAHash() {
        String name = AwsRole.derivedSessionName("a-very-long-pipeline-name-for-the-housing-api",
                "deploy production (eu-west-2)", "20261126T101500Z-1a2b3c");

        assertThat(name).hasSizeLessThanOrEqualTo(64).matches("[\\w+=,.@-]{2,64}")
                .startsWith("a-very-long-pip.deploy-producti-")
                .endsWith(".20261126T101500Z-1a2b3c");
        assertThat(name).isNotEqualTo(AwsRole.derivedSessionName("a-very-long-pipeline-name-for-the-housing-api",
                "deploy production (us-east-1)", "20261126T101500Z-1a2b3c"));
    }

    @Property
    void derivedSessionName_isAlwaysValidForSts(@ForAll @StringLength(min = 1, max = 120) String pipeline,
            @ForAll @StringLength(min = 1, max = 120) String stage, @ForAll @StringLength(min = 1, max = 40) String run) {
        assertThat(AwsRole.derivedSessionName(pipeline, stage, run)).matches("[\\w+=,.@-]{2,64}");
    }

    @Test
    void toBuilder_build_equalsTheOriginal() {
        AwsRole role = AwsRole.builder(deployer().grant("s3:GetObject", "*").build()).externalId("housing-api")
                .putSessionTag("team", "housing").maxSessionDuration(Duration.ofHours(2)).chained().build();

        assertThat(role.toBuilder().build()).isEqualTo(role).hasSameHashCodeAs(role);
        assertThat(role.toString()).isEqualTo("AWS role 'deployer' (" + ARN + ")");
    }
}
