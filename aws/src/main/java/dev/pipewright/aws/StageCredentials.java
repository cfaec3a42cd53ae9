package dev.pipewright.aws;

import dev.pipewright.RunContext;
import dev.pipewright.spi.StepFailedException;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

/**
 * The AWS credentials of a running stage: those its roles gave it, as the {@code AWS_*}
 * variables of its environment. Steps and checks sign every request with them, whatever
 * credentials their client was built with, so that a stage acts only as the roles it declares.
 */
final class StageCredentials {
    static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";

    private StageCredentials() { }

    /**
     * The request configuration that signs with the stage's credentials.
     *
     * @param what the step or check that needs them, for the message
     * @throws StepFailedException if the stage has no AWS credentials
     */
    static AwsRequestOverrideConfiguration of(RunContext context, String what) {
        Map<String, String> env = context.environment();
        String id = env.get(ACCESS_KEY_ID);
        String secret = env.get(SECRET_ACCESS_KEY);
        if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
            throw new StepFailedException(what + " needs AWS credentials, and stage '" + context.stage()
                    + "' has none: a stage gets AWS credentials only from the roles it acts as. Give it a role"
                    + " (.as(role), or an environment's role) and run with the aws module's credentials provider or"
                    + " credentials for that role.");
        }
        String token = env.get(SESSION_TOKEN);
        AwsCredentials credentials = token == null || token.isBlank() ? AwsBasicCredentials.create(id, secret)
                : AwsSessionCredentials.create(id, secret, token);
        return AwsRequestOverrideConfiguration.builder()
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .build();
    }
}
