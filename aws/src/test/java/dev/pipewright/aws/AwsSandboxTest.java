package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.aws.AwsSandbox.Service;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class AwsSandboxTest {
    @Test
    void start_servesEveryServiceOnLoopback_andCloseStopsThem() {
        AwsSandbox sandbox = AwsSandbox.builder().region("us-east-1").account("111122223333").start();
        for (Service s : new Service[] {Service.STS, Service.LAMBDA, Service.CLOUDWATCH, Service.SYNTHETICS,
                Service.SNS}) {
            assertThat(sandbox.endpoint(s).getHost()).isEqualTo("127.0.0.1");
            assertThat(sandbox.endpoint(s).getPort()).isPositive();
        }
        assertThat(sandbox.region()).isEqualTo("us-east-1");
        assertThat(sandbox.lambda().givenFunction("f").arn()).isEqualTo("arn:aws:lambda:us-east-1:111122223333:function:f");
        assertThat(sandbox.stsClient().getCallerIdentity().account()).isEqualTo("111122223333");

        sandbox.close();
        sandbox.close();
        assertThatThrownBy(() -> sandbox.endpoint(Service.STS)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(sandbox::lambdaClient).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void failNext_checksWhatItIsGiven() {
        try (AwsSandbox sandbox = AwsSandbox.start()) {
            assertThatThrownBy(() -> sandbox.failNext(Service.LAMBDA, "Invoke", 500, "ServiceException", 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not serve Invoke; it serves [CreateAlias, GetAlias, GetFunction,");
            assertThatThrownBy(() -> sandbox.failNext(Service.STS, "AssumeRole", 200, "Ok", 1))
                    .hasMessageContaining("400 to 599");
            assertThatThrownBy(() -> sandbox.failNext(Service.S3, "PutObject", 500, "InternalError", 1))
                    .hasMessageContaining("s3proxy");
            assertThatThrownBy(() -> sandbox.failNext(Service.SNS, "Publish", 500, "InternalError", 0))
                    .hasMessageContaining("at least 1");
        }
    }

    @Test
    void failNext_failsExactlyTheNextCalls() {
        try (AwsSandbox sandbox = AwsSandbox.start();
                var sts = sandbox.stsClientBuilder()
                        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            sandbox.failNext(Service.STS, "GetCallerIdentity", 403, "AccessDenied", 2);

            assertThatThrownBy(sts::getCallerIdentity).hasMessageContaining("AccessDenied");
            assertThatThrownBy(sts::getCallerIdentity).hasMessageContaining("AccessDenied");
            assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::123456789012:user/sandbox");
            assertThat(sandbox.requests(Service.STS, "GetCallerIdentity")).isEqualTo(3);
        }
    }

    @Test
    void s3_isServedByS3proxy_whichChecksSignatures() {
        try (AwsSandbox sandbox = AwsSandbox.start()) {
            assertThat(sandbox.s3Available()).isTrue();
            S3Client s3 = sandbox.s3Client();
            s3.createBucket(r -> r.bucket("specs"));
            s3.putObject(r -> r.bucket("specs").key("housing-api/openapi.json").metadata(
                    java.util.Map.of("commit", "4f1c2d")), RequestBody.fromString("{\"openapi\":\"3.0.3\"}"));

            var object = s3.getObjectAsBytes(r -> r.bucket("specs").key("housing-api/openapi.json"));
            assertThat(object.asUtf8String()).isEqualTo("{\"openapi\":\"3.0.3\"}");
            assertThat(object.response().metadata()).containsEntry("commit", "4f1c2d");
            assertThat(sandbox.endpoint(Service.S3).getHost()).isIn("127.0.0.1", "localhost");

            try (S3Client forged = sandbox.s3ClientBuilder().credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(sandbox.credentials().resolveCredentials().accessKeyId(), "wrong")))
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
                assertThatThrownBy(() -> forged.listObjectsV2(r -> r.bucket("specs")))
                        .isInstanceOfSatisfying(S3Exception.class, e ->
                                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch"));
            }
        }
    }
}
