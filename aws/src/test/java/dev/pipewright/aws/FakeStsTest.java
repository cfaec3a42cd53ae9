package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.MalformedPolicyDocumentException;

class FakeStsTest {
    private static final String ARN = "arn:aws:iam::123456789012:role/deployer";

    private final TestClock clock = new TestClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final AwsSandbox sandbox = AwsSandbox.builder().clock(clock).start();
    private final StsClient sts = sandbox.stsClientBuilder()
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();

    @AfterEach
    void close() {
        sts.close();
        sandbox.close();
    }

    private static String code(Throwable e) {
        return ((AwsServiceException) e).awsErrorDetails().errorCode();
    }

    @Test
    void assumeRole_checksEveryConstraint_andReportsThemAll() {
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(ARN).roleSessionName("x").durationSeconds(899)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("ValidationError"))
                .hasMessageContaining("2 validation errors detected: Value 'x' at 'roleSessionName' failed to satisfy"
                        + " constraint: Member must have length greater than or equal to 2; Value '899' at"
                        + " 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal"
                        + " to 900");
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(ARN)))
                .hasMessageContaining("Value null at 'roleSessionName' failed to satisfy constraint: Member must not"
                        + " be null");
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(ARN).roleSessionName("a".repeat(65))))
                .hasMessageContaining("length less than or equal to 64");
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::123456789012:user/alice")
                .roleSessionName("me"))).hasMessageContaining("is not a valid IAM role ARN");
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(ARN).roleSessionName("me").externalId("x")))
                .hasMessageContaining("'externalId'");
    }

    @Test
    void assumeRole_beyondTheRolesMaximum_orChainedBeyondAnHour_isRefused() {
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(ARN).roleSessionName("me").durationSeconds(7200)))
                .hasMessageContaining("exceeds the MaxSessionDuration set for this role");

        sandbox.sts().maxSessionDuration(ARN, Duration.ofHours(2));
        Credentials session = sts.assumeRole(r -> r.roleArn(ARN).roleSessionName("me").durationSeconds(7200))
                .credentials();
        assertThat(session.expiration()).isEqualTo(clock.instant().plus(Duration.ofHours(2)));

        try (StsClient chained = sandbox.stsClientBuilder().credentialsProvider(StaticCredentialsProvider.create(
                AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(), session.sessionToken())))
                .build()) {
            assertThatThrownBy(() -> chained.assumeRole(r -> r.roleArn(ARN).roleSessionName("me")
                    .durationSeconds(3601)))
                    .hasMessageContaining("exceeds the 1 hour session limit for roles assumed by role chaining");
            chained.assumeRole(r -> r.roleArn(ARN).roleSessionName("again").durationSeconds(3600));
            assertThat(sandbox.sts().assumedRoles()).last().satisfies(a -> assertThat(a.chained()).isTrue());
            assertThat(chained.getCallerIdentity().arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/deployer/me");
        }
    }

    @Test
    void assumeRole_withMalformedPolicy_isMalformedPolicyDocument() {
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(ARN).roleSessionName("me").policy("{\"Statement\":")))
                .isInstanceOf(MalformedPolicyDocumentException.class)
                .hasMessageContaining("The policy is not in the valid JSON format.");
    }

    @Test
    void assumeRole_refusedByTrustPolicy_isAccessDenied() {
        sandbox.sts().denyAssume(ARN);
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(ARN).roleSessionName("me")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"))
                .satisfies(e -> assertThat(((AwsServiceException) e).statusCode()).isEqualTo(403));

        String other = "arn:aws:iam::123456789012:role/partner";
        sandbox.sts().requireExternalId(other, "secret-id");
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(other).roleSessionName("me")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
        sts.assumeRole(r -> r.roleArn(other).roleSessionName("me").externalId("secret-id"));
    }

    @Test
    void requests_signedWithUnknownOrExpiredCredentials_areRefused() {
        Credentials session = sts.assumeRole(r -> r.roleArn(ARN).roleSessionName("me").durationSeconds(900))
                .credentials();
        sandbox.lambda().givenFunction("api");
        try (LambdaClient good = lambda(AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(),
                session.sessionToken()), sandbox.region());
                LambdaClient forgedToken = lambda(AwsSessionCredentials.create(session.accessKeyId(),
                        session.secretAccessKey(), "forged"), sandbox.region());
                LambdaClient unknown = lambda(AwsBasicCredentials.create("AKIAUNKNOWN000000000", "secret"),
                        sandbox.region());
                LambdaClient wrongRegion = lambda(AwsSessionCredentials.create(session.accessKeyId(),
                        session.secretAccessKey(), session.sessionToken()), "us-east-1")) {
            assertThat(good.getFunction(r -> r.functionName("api")).configuration().functionName()).isEqualTo("api");
            assertThatThrownBy(() -> forgedToken.getFunction(r -> r.functionName("api")))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("UnrecognizedClientException"));
            assertThatThrownBy(() -> unknown.getFunction(r -> r.functionName("api")))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("UnrecognizedClientException"));
            assertThatThrownBy(() -> wrongRegion.getFunction(r -> r.functionName("api")))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidSignatureException"));

            clock.advance(Duration.ofSeconds(900));
            assertThatThrownBy(() -> good.getFunction(r -> r.functionName("api")))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("ExpiredTokenException"));
        }
    }

    @Test
    void expireSessions_endsEverySessionIssuedSoFar() {
        Credentials before = sts.assumeRole(r -> r.roleArn(ARN).roleSessionName("me")).credentials();
        sandbox.sts().expireSessions();
        Credentials after = sts.assumeRole(r -> r.roleArn(ARN).roleSessionName("me")).credentials();

        try (StsClient old = sessionSts(before); StsClient fresh = sessionSts(after)) {
            assertThatThrownBy(old::getCallerIdentity).satisfies(e -> assertThat(code(e)).isEqualTo("ExpiredToken"));
            assertThat(fresh.getCallerIdentity().arn()).endsWith(":assumed-role/deployer/me");
        }
    }

    @Test
    void assumeRoleWithWebIdentity_needsAJwt() {
        assertThatThrownBy(() -> sts.assumeRoleWithWebIdentity(r -> r.roleArn(ARN).roleSessionName("ci")
                .webIdentityToken("opaque-token")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidIdentityToken"));
    }

    private StsClient sessionSts(Credentials c) {
        return sandbox.stsClientBuilder().credentialsProvider(StaticCredentialsProvider.create(
                AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    private LambdaClient lambda(software.amazon.awssdk.auth.credentials.AwsCredentials credentials, String region) {
        return sandbox.lambdaClientBuilder().region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }
}
