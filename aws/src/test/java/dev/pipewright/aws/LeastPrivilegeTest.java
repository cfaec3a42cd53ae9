package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.Environment;
import dev.pipewright.Gate;
import dev.pipewright.InvalidPipelineException;
import dev.pipewright.Permission;
import dev.pipewright.Pipeline;
import dev.pipewright.Problem;
import dev.pipewright.Role;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

class LeastPrivilegeTest {
    private static final String FUNCTION = "arn:aws:lambda:eu-west-2:111111111111:function:housing-api-staging";
    private static final LambdaDeploy DEPLOY = Lambda.deploy(FUNCTION).zip("build/fn.zip").alarms("api-5xx");

    /** A client never called: building a check needs one. */
    private static final CloudWatchClient NEVER_CALLED = CloudWatchClient.builder().region(Region.EU_WEST_2)
            .credentialsProvider(AnonymousCredentialsProvider.create()).build();

    private static Role exactRole(String name) {
        Role.Builder b = Role.named(name).assumes("arn:aws:iam::111111111111:role/" + name);
        DEPLOY.permissions().forEach(p -> b.grant(p.action(), p.resource()));
        return b.build();
    }

    private static Pipeline pipeline(Role role) {
        Environment staging = Environment.named("staging").branches("main").role(role).build();
        return Pipeline.named("housing-api").environments(staging)
                .stage("test", s -> s.run("./mvnw -B verify"))
                .deploy(staging, s -> s.needs("test").step(DEPLOY))
                .build();
    }

    @Test
    void needed_isTheStepsPermissions_thenTheAwsChecks() {
        Pipeline p = Pipeline.named("p").stage("deploy", s -> s
                .gate(Gate.check("alarms", CloudWatchAlarms.prefixed("api-").ok(NEVER_CALLED)))
                .gate(Gate.check("smoke", SyntheticsCanary.named("api-smoke").passed(
                        software.amazon.awssdk.services.synthetics.SyntheticsClient.builder().region(Region.EU_WEST_2)
                                .credentialsProvider(AnonymousCredentialsProvider.create()).build())))
                .gate(Gate.check("custom", ctx -> dev.pipewright.CheckResult.pass("fine")))
                .step(DEPLOY)).build();

        List<Permission> needed = LeastPrivilege.needed(p.stage("deploy").orElseThrow());

        assertThat(needed).startsWith(DEPLOY.permissions().toArray(Permission[]::new)).endsWith(
                Permission.of("cloudwatch:DescribeAlarms", "arn:aws:cloudwatch:*:*:alarm:api-*"),
                Permission.of("synthetics:GetCanaryRuns", "arn:aws:synthetics:*:*:canary:api-smoke"));
        assertThat(needed).hasSize(DEPLOY.permissions().size() + 2);
    }

    @Test
    void aRoleGrantingExactlyWhatItsStagesNeed_hasNoProblem() {
        Pipeline p = pipeline(exactRole("deploy-staging"));

        assertThat(LeastPrivilege.problems(p)).isEmpty();
        LeastPrivilege.verify(p);
        assertThat(LeastPrivilege.needed(p, exactRole("deploy-staging"))).isEqualTo(DEPLOY.permissions());
    }

    @Test
    void broaderAndUnusedGrants_andNeedsNotGranted_areEachNamedWithTheFix() {
        Role role = Role.named("deploy-staging").assumes("arn:aws:iam::111111111111:role/deploy-staging")
                .grant("lambda:*", FUNCTION)
                .grant("cloudwatch:DescribeAlarms", "*")
                .grant("s3:PutObject", "arn:aws:s3:::housing-api-definitions/*")
                .build();

        List<Problem> problems = LeastPrivilege.problems(pipeline(role));

        assertThat(problems).extracting(Problem::toString).containsExactly(
                "role 'deploy-staging' > grant lambda:* on " + FUNCTION + ": it is broader than what its stages"
                        + " ('deploy-staging') use: lambda:GetFunction on " + FUNCTION + ", lambda:UpdateFunctionCode"
                        + " on " + FUNCTION + ", lambda:PublishVersion on " + FUNCTION + ", lambda:GetAlias on "
                        + FUNCTION + ", lambda:UpdateAlias on " + FUNCTION + ". Grant exactly those.",
                "role 'deploy-staging' > grant cloudwatch:DescribeAlarms on *: it is broader than what its stages"
                        + " ('deploy-staging') use: cloudwatch:DescribeAlarms on"
                        + " arn:aws:cloudwatch:eu-west-2:111111111111:alarm:api-5xx. Grant exactly those.",
                "role 'deploy-staging' > grant s3:PutObject on arn:aws:s3:::housing-api-definitions/*: none of its"
                        + " stages ('deploy-staging') needs it. Remove the grant.");
        assertThatThrownBy(() -> LeastPrivilege.verify(pipeline(role)))
                .isInstanceOf(InvalidPipelineException.class)
                .hasMessageStartingWith("Pipeline 'housing-api' (least privilege) is invalid (3 problems):");
    }

    @Test
    void aNeedNoRoleGrants_isNamed_becauseAwsWouldRefuseIt() {
        Role.Builder b = Role.named("deploy-staging").assumes("arn:aws:iam::111111111111:role/deploy-staging");
        DEPLOY.permissions().stream().filter(p -> !p.action().equals("lambda:GetAlias"))
                .forEach(p -> b.grant(p.action(), p.resource()));

        assertThat(LeastPrivilege.problems(pipeline(b.build()))).extracting(Problem::toString).containsExactly(
                "stage 'deploy-staging': it needs lambda:GetAlias on " + FUNCTION + ", which none of its roles"
                        + " ('deploy-staging') grants: AWS would refuse it. Grant it to role 'deploy-staging'.");
    }

    @Test
    void aStepNamingOnlyItsFunction_isServedByAGrantInOneRegion() {
        LambdaDeploy byName = Lambda.deploy("housing-api-staging").zip("fn.zip");
        Role role = Role.named("deployer").assumes("arn:aws:iam::111111111111:role/deployer")
                .grant("lambda:GetFunction", FUNCTION).grant("lambda:UpdateFunctionCode", FUNCTION)
                .grant("lambda:PublishVersion", FUNCTION).grant("lambda:GetAlias", FUNCTION)
                .grant("lambda:UpdateAlias", FUNCTION).build();
        Pipeline p = Pipeline.named("p").role(role).stage("deploy", s -> s.as(role).step(byName)).build();

        assertThat(LeastPrivilege.problems(p)).isEmpty();
    }

    @Test
    void aRoleWhoseStagesDeclareNothing_isFlagged_opaqueRolesAreNotJudged() {
        Role granted = Role.named("deployer").grant("lambda:UpdateFunctionCode", FUNCTION).build();
        Role opaque = Role.named("legacy").assumes("arn:aws:iam::111111111111:role/legacy").build();
        Pipeline p = Pipeline.named("p").role(granted).role(opaque)
                .stage("deploy", s -> s.as(granted).run("./deploy.sh"))
                .stage("legacy", s -> s.as(opaque).step(DEPLOY))
                .build();

        assertThat(LeastPrivilege.problems(p)).extracting(Problem::toString).containsExactly(
                "role 'deployer': it grants 1 permission, but its stages ('deploy') declare no need for any."
                        + " Declare what their steps need (the aws module's steps do;"
                        + " ShellStep.builder(...).permissions(...)), or stop acting as the role there.");
    }
}
