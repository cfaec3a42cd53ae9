package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/** What a {@link SandboxServer} needs of one fake service: what it is, and how it serves a request. */
abstract class SandboxService {
    private final AwsSandbox.Service service;
    private final SandboxProtocol protocol;
    private final String namespace;
    private final Set<String> operations;

    /**
     * @param namespace the awsQuery XML namespace, or the Smithy namespace of error types
     * @param operations every operation the fake serves, as AWS names them
     */
    SandboxService(AwsSandbox.Service service, SandboxProtocol protocol, String namespace, Set<String> operations) {
        this.service = checkNotNull(service, "service");
        this.protocol = checkNotNull(protocol, "protocol");
        this.namespace = checkNotNull(namespace, "namespace");
        this.operations = Set.copyOf(operations);
    }

    /** The service faked. */
    final AwsSandbox.Service service() {
        return service;
    }

    /** The wire protocol its clients speak. */
    final SandboxProtocol protocol() {
        return protocol;
    }

    /** The awsQuery XML namespace, or the Smithy namespace of error types. */
    final String namespace() {
        return namespace;
    }

    /** Every operation the fake serves, as AWS names them. */
    final Set<String> operations() {
        return operations;
    }

    /**
     * The operation {@code request} calls.
     *
     * @throws SandboxError if it calls none the fake serves
     */
    abstract String operation(SandboxRequest request);

    /** Whether {@code operation} is signed; AssumeRoleWithWebIdentity is not. */
    boolean signed(String operation) {
        return true;
    }

    /**
     * Serves {@code request}.
     *
     * @param caller who signed it; null for unsigned operations
     * @throws SandboxError to answer with an AWS error
     */
    abstract SandboxResponse handle(String operation, SandboxRequest request, @Nullable SandboxPrincipal caller,
            String requestId);

    /**
     * The operation an awsQuery request calls: the form's {@code Action}, posted.
     *
     * @param version the API version, as AWS's error names it
     * @throws SandboxError if it calls none the fake serves
     */
    final String queryAction(SandboxRequest request, String version) {
        String action = request.form().get("Action");
        if (!"POST".equals(request.method()) || action == null || !operations.contains(action)) {
            throw SandboxError.client(400, "InvalidAction", "Could not find operation " + action + " for version "
                    + version + "; the sandbox's " + service.displayName() + " serves " + operations);
        }
        return action;
    }
}
