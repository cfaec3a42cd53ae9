package dev.pipewright.aws;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/** What a {@link SandboxServer} needs of one fake service. */
interface SandboxService {
    /** The service faked. */
    AwsSandbox.Service service();

    /** The wire protocol its clients speak. */
    SandboxProtocol protocol();

    /** The awsQuery XML namespace, or the Smithy namespace of error types. */
    String namespace();

    /** Every operation the fake serves, as AWS names them. */
    Set<String> operations();

    /**
     * The operation {@code request} calls.
     *
     * @throws SandboxError if it calls none the fake serves
     */
    String operation(SandboxRequest request);

    /** Whether {@code operation} is signed; AssumeRoleWithWebIdentity is not. */
    default boolean signed(String operation) {
        return true;
    }

    /**
     * Serves {@code request}.
     *
     * @param caller who signed it; null for unsigned operations
     * @throws SandboxError to answer with an AWS error
     */
    SandboxResponse handle(String operation, SandboxRequest request, @Nullable SandboxPrincipal caller, String requestId);
}
