package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.InvalidPipelineException;
import dev.pipewright.Permission;
import dev.pipewright.Pipeline;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Lambda deploy step as a value: its identity, parameters, permissions and validation. */
class LambdaDeployTest {
    private static final String ARN = "arn:aws:lambda:eu-west-2:111111111111:function:housing-api-staging";

    @Test
    void parameters_areStableAndOrdered() {
        LambdaDeploy d = Lambda.deploy(ARN).zip("build/fn.zip").alias("live").canary(10, Duration.ofMinutes(5))
                .alarms("api-5xx", "api-latency").alarmPrefix("api-");

        assertThat(d.type()).isEqualTo("aws.lambda.deploy");
        assertThat(d.name()).isEqualTo("deploy housing-api-staging (alias live)");
        assertThat(d.parameters()).containsExactly(Map.entry("function", ARN), Map.entry("zip", "build/fn.zip"),
                Map.entry("alias", "live"), Map.entry("traffic", "canary 10% for PT5M"),
                Map.entry("alarms", "api-5xx,api-latency"), Map.entry("alarm-prefix", "api-"));
        assertThat(Lambda.deploy("fn").s3("artifacts", "fn/1.zip", "v3").linear(20, Duration.ofMinutes(1))
                .parameters()).containsExactly(Map.entry("function", "fn"),
                Map.entry("s3", "s3://artifacts/fn/1.zip?versionId=v3"), Map.entry("alias", "live"),
                Map.entry("traffic", "linear 20% every PT1M"));
        assertThat(Lambda.deploy("fn").zip("a.zip").parameters()).containsEntry("traffic", "all-at-once");
    }

    @Test
    void permissions_nameTheFunctionAndAlarms_inItsRegionAndAccount() {
        assertThat(Lambda.deploy(ARN).zip("fn.zip").alarms("api-5xx").permissions()).containsExactly(
                Permission.of("lambda:GetFunction", ARN), Permission.of("lambda:UpdateFunctionCode", ARN),
                Permission.of("lambda:PublishVersion", ARN), Permission.of("lambda:GetAlias", ARN),
                Permission.of("lambda:UpdateAlias", ARN),
                Permission.of("cloudwatch:DescribeAlarms", "arn:aws:cloudwatch:eu-west-2:111111111111:alarm:api-5xx"));
        assertThat(Lambda.deploy("fn").s3("artifacts", "fn.zip").alarmPrefix("fn-").permissions()).contains(
                Permission.of("lambda:UpdateAlias", "arn:aws:lambda:*:*:function:fn"),
                Permission.of("s3:GetObject", "arn:aws:s3:::artifacts/fn.zip"),
                Permission.of("cloudwatch:DescribeAlarms", "arn:aws:cloudwatch:*:*:alarm:fn-*"));
    }

    @Test
    void trafficSteps_forEachStrategy() {
        assertThat(Lambda.deploy("fn").zip("a").traffic().steps()).isEmpty();
        assertThat(Lambda.deploy("fn").zip("a").canary(5, Duration.ofMinutes(1)).traffic().steps()).containsExactly(5);
        assertThat(Lambda.deploy("fn").zip("a").linear(30, Duration.ofMinutes(1)).traffic().steps())
                .containsExactly(30, 60, 90);
        assertThat(Lambda.deploy("fn").zip("a").canary(5, Duration.ofMinutes(1)).allAtOnce().traffic().steps())
                .isEmpty();
    }

    @Test
    void valuesAreEqualWhenTheirConfigurationIs_andPipelinesHoldThem() {
        LambdaDeploy a = Lambda.deploy(ARN).zip("fn.zip").canary(10, Duration.ofMinutes(5));
        LambdaDeploy b = Lambda.deploy(ARN).zip("fn.zip").canary(10, Duration.ofMinutes(5));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(a.alias("beta"));
        Pipeline p = Pipeline.named("p").stage("deploy", s -> s.step(a)).build();
        assertThat(p.stage("deploy").orElseThrow().steps()).containsExactly(b);
    }

    @Test
    void badInput_isRefusedNamingThePartAndTheFix() {
        assertThatThrownBy(() -> Lambda.deploy("arn:aws:lambda:eu-west-2:111111111111:function:fn:live"))
                .isInstanceOf(InvalidPipelineException.class)
                .hasMessage("Lambda deploy of 'arn:aws:lambda:eu-west-2:111111111111:function:fn:live' is invalid"
                        + " (1 problem):\n 1. function: 'arn:aws:lambda:eu-west-2:111111111111:function:fn:live' is"
                        + " neither a function name nor an unqualified function ARN. Give a name of up to 64 letters,"
                        + " digits, - and _, or an ARN such as arn:aws:lambda:eu-west-2:111111111111:function:housing-api"
                        + " (without a version or alias).");
        assertThatThrownBy(() -> Lambda.deploy("fn").zip(" ")).hasMessageContaining("zip: a blank value was given.");
        assertThatThrownBy(() -> Lambda.deploy("fn").s3("b", null)).hasMessageContaining("s3.key: nothing was given.");
        assertThatThrownBy(() -> Lambda.deploy("fn").zip("a").alias("42"))
                .hasMessageContaining("alias: '42' is not an alias name.");
        assertThatThrownBy(() -> Lambda.deploy("fn").zip("a").canary(100, Duration.ofMinutes(1)))
                .hasMessageContaining("canary: a weight of 100% was given. Give a percentage of the traffic from 1 to 99.");
        assertThatThrownBy(() -> Lambda.deploy("fn").zip("a").linear(10, Duration.ZERO))
                .hasMessageContaining("linear: the interval PT0S is not positive.");
        assertThatThrownBy(() -> Lambda.deploy("fn").zip("a").alarms("ok", ""))
                .hasMessageContaining("alarms: a blank value was given.");
        assertThatThrownBy(() -> Lambda.deploy("fn").zip("a").alarmPrefix("x".repeat(256)))
                .hasMessageContaining("is longer than 255 characters.");
    }
}
