package dev.pipewright.aws;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkPojo;

/**
 * What a fake answers: status, headers and body, and the SDK model object the body was written
 * from, kept so that a test can compare it with what the real client parsed.
 */
record SandboxResponse(int status, Map<String, String> headers, byte[] body, @Nullable SdkPojo model) {
    SandboxResponse {
        headers = Map.copyOf(headers);
    }
}
