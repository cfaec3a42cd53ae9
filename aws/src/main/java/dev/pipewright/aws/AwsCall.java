package dev.pipewright.aws;

import dev.pipewright.spi.StepFailedException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One call to an AWS API, whose failure becomes a stage failure that names the operation, the
 * resource and AWS's error code. Retries are the client's: by the time an exception gets here,
 * the client's retry strategy has given up on it.
 */
final class AwsCall {
    private AwsCall() { }

    /**
     * Runs {@code call}, the operation {@code operation} (such as {@code Lambda UpdateFunctionCode})
     * on {@code resource} (such as {@code function 'housing-api'}).
     *
     * @throws StepFailedException if AWS refused the call or could not be reached
     */
    static <T> T run(String operation, String resource, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw failure(operation, resource, e);
        }
    }

    /** The stage failure for {@code e}, thrown by {@code operation} on {@code resource}. */
    static StepFailedException failure(String operation, String resource, SdkException e) {
        StepFailedException failure = new StepFailedException(describe(operation, resource, e));
        failure.initCause(e);
        return failure;
    }

    /**
     * {@code Lambda UpdateFunctionCode on function 'x' failed: AccessDeniedException (HTTP 403)
     * after 1 attempt: User ... is not authorized.}
     */
    static String describe(String operation, String resource, SdkException e) {
        StringBuilder m = new StringBuilder(operation).append(" on ").append(resource).append(" failed: ");
        if (e instanceof AwsServiceException service) {
            AwsErrorDetails details = service.awsErrorDetails();
            String code = details == null || details.errorCode() == null ? "an unnamed error" : details.errorCode();
            m.append(code).append(" (HTTP ").append(service.statusCode()).append(')');
            attempts(m, e);
            String message = details == null ? null : details.errorMessage();
            if (message != null && !message.isBlank()) {
                m.append(": ").append(message.strip());
            }
            if (service.requestId() != null) {
                m.append(" (request id ").append(service.requestId()).append(')');
            }
        } else if (e instanceof AbortedException) {
            m.append("the call was interrupted");
        } else if (e instanceof SdkClientException) {
            m.append("AWS could not be reached");
            attempts(m, e);
            m.append(": ").append(rootMessage(e));
        } else {
            m.append(rootMessage(e));
        }
        return m.toString();
    }

    private static void attempts(StringBuilder m, SdkException e) {
        Integer attempts = e.numAttempts();
        if (attempts != null && attempts > 0) {
            m.append(" after ").append(attempts).append(attempts == 1 ? " attempt" : " attempts");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return t == e ? message : message + " (" + t.getClass().getSimpleName() + ")";
    }
}
