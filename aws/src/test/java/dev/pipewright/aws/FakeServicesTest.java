package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.aws.AwsSandbox.Service;
import dev.pipewright.aws.FakeCloudWatch.AlarmState;
import dev.pipewright.aws.FakeSynthetics.RunState;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.synthetics.SyntheticsClient;
import software.amazon.awssdk.services.synthetics.model.CanaryRun;
import software.amazon.awssdk.services.synthetics.model.ResourceNotFoundException;

/** CloudWatch, Synthetics and SNS as the code under test sees them through the real clients. */
class FakeServicesTest {
    private final AwsSandbox sandbox = AwsSandbox.start();
    private final CloudWatchClient cloudWatch = sandbox.cloudWatchClientBuilder()
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    private final SyntheticsClient synthetics = sandbox.syntheticsClientBuilder()
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    private final SnsClient sns = sandbox.snsClientBuilder()
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();

    @AfterEach
    void close() {
        cloudWatch.close();
        synthetics.close();
        sns.close();
        sandbox.close();
    }

    @Test
    void alarms_changeMidTest_andFilterByNameAndState() {
        sandbox.cloudWatch().alarm("api-errors", AlarmState.OK).alarm("api-latency", AlarmState.INSUFFICIENT_DATA)
                .alarm("other", AlarmState.ALARM);

        assertThat(cloudWatch.describeAlarms(r -> r.alarmNames("api-errors")).metricAlarms())
                .extracting(MetricAlarm::stateValue).containsExactly(StateValue.OK);
        sandbox.cloudWatch().alarm("api-errors", AlarmState.ALARM);
        assertThat(cloudWatch.describeAlarms(r -> r.alarmNames("api-errors")).metricAlarms())
                .extracting(MetricAlarm::stateValue).containsExactly(StateValue.ALARM);
        assertThat(cloudWatch.describeAlarms(r -> r.stateValue(StateValue.ALARM)).metricAlarms())
                .extracting(MetricAlarm::alarmName).containsExactly("api-errors", "other");
        assertThat(cloudWatch.describeAlarms(r -> r.alarmNamePrefix("api-")).metricAlarms())
                .extracting(MetricAlarm::alarmName).containsExactly("api-errors", "api-latency");

        sandbox.cloudWatch().removeAlarm("api-errors");
        assertThat(cloudWatch.describeAlarms(r -> r.alarmNames("api-errors")).metricAlarms()).isEmpty();
        assertThat(sandbox.cloudWatch().alarms()).containsOnlyKeys("api-latency", "other");
    }

    @Test
    void alarms_arePaged_andTheClientsPaginatorReadsThemAll() {
        for (int i = 0; i < 7; i++) {
            sandbox.cloudWatch().alarm("alarm-" + i, AlarmState.OK);
        }

        List<String> names = cloudWatch.describeAlarmsPaginator(r -> r.maxRecords(3)).metricAlarms().stream()
                .map(MetricAlarm::alarmName).toList();

        assertThat(names).hasSize(7).isSorted();
        assertThat(sandbox.requests(Service.CLOUDWATCH, "DescribeAlarms")).isEqualTo(3);
    }

    @Test
    void describeAlarms_withNamesAndPrefix_isRefusedAsCloudWatchDoes() {
        assertThatThrownBy(() -> cloudWatch.describeAlarms(r -> r.alarmNames("a").alarmNamePrefix("b")))
                .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorCode())
                        .isEqualTo("InvalidParameterCombination"));
        assertThatThrownBy(() -> cloudWatch.describeAlarms(r -> r.maxRecords(101)))
                .hasMessageContaining("Member must have value less than or equal to 100");
    }

    @Test
    void describeAlarms_throttled_isRetriedByAStandardClient() {
        sandbox.failNext(Service.CLOUDWATCH, "DescribeAlarms", 400, "Throttling", 1);
        sandbox.cloudWatch().alarm("a", AlarmState.OK);

        assertThatThrownBy(() -> cloudWatch.describeAlarms(r -> r.alarmNames("a")))
                .satisfies(e -> assertThat(((AwsServiceException) e).isThrottlingException()).isTrue());
        sandbox.failNext(Service.CLOUDWATCH, "DescribeAlarms", 503, "ServiceUnavailable", 1);
        try (CloudWatchClient retrying = sandbox.cloudWatchClient()) {
            assertThat(retrying.describeAlarms(r -> r.alarmNames("a")).metricAlarms()).hasSize(1);
        }
        assertThat(sandbox.requests(Service.CLOUDWATCH, "DescribeAlarms")).isEqualTo(3);
    }

    @Test
    void canaryRuns_comeNewestFirst_andNewRunsCanBeAdded() {
        sandbox.synthetics().canary("smoke", RunState.PASSED, RunState.FAILED);
        sandbox.synthetics().run("smoke", RunState.FAILED);

        List<CanaryRun> runs = synthetics.getCanaryRuns(r -> r.name("smoke")).canaryRuns();

        assertThat(runs).extracting(run -> run.status().stateAsString()).containsExactly("FAILED", "PASSED", "FAILED");
        assertThat(runs.get(0).timeline().started()).isAfter(runs.get(1).timeline().started());
        assertThat(runs.get(0).status().stateReasonCodeAsString()).isEqualTo("CANARY_FAILURE");
        assertThat(sandbox.synthetics().lastRun("smoke")).contains(RunState.FAILED);
        assertThat(synthetics.getCanaryRunsPaginator(r -> r.name("smoke").maxResults(2)).stream()
                .flatMap(p -> p.canaryRuns().stream()))
                .hasSize(3);
        assertThat(synthetics.getCanary(r -> r.name("smoke")).canary().status().stateAsString()).isEqualTo("RUNNING");
    }

    @Test
    void canary_unknown_isResourceNotFound() {
        assertThatThrownBy(() -> synthetics.getCanaryRuns(r -> r.name("missing")))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> sandbox.synthetics().run("missing", RunState.PASSED))
                .hasMessageContaining("no canary 'missing'");
    }

    @Test
    void publish_isRecorded_withSubjectAndAttributes() {
        String topic = sandbox.sns().givenTopic("alerts");

        String id = sns.publish(r -> r.topicArn(topic).subject("housing-api: deploy failed").message("details")
                .messageAttributes(java.util.Map.of("stage", MessageAttributeValue.builder().dataType("String")
                        .stringValue("deploy-production").build()))).messageId();

        assertThat(sandbox.sns().published()).singleElement().satisfies(m -> {
            assertThat(m.topicArn()).isEqualTo("arn:aws:sns:eu-west-2:123456789012:alerts");
            assertThat(m.subject()).contains("housing-api: deploy failed");
            assertThat(m.message()).isEqualTo("details");
            assertThat(m.attributes()).containsEntry("stage", "deploy-production");
            assertThat(m.messageId()).isEqualTo(id);
        });
    }

    @Test
    void publish_checksTopicAndSubject() {
        String topic = sandbox.sns().givenTopic("alerts");

        assertThatThrownBy(() -> sns.publish(r -> r.topicArn(topic + "-missing").message("m")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sns.publish(r -> r.topicArn(topic).subject("x".repeat(101)).message("m")))
                .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorCode())
                        .isEqualTo("InvalidParameter"));
        assertThatThrownBy(() -> sns.publish(r -> r.topicArn(topic).subject("two\nlines").message("m")))
                .hasMessageContaining("Subject");
        assertThatThrownBy(() -> sns.publish(r -> r.topicArn(topic))).hasMessageContaining("'message'");
        assertThat(sandbox.sns().published()).isEmpty();
    }
}
