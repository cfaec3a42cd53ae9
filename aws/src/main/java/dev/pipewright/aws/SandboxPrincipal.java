package dev.pipewright.aws;

/**
 * Who signed a request: the sandbox's own (base) credentials or a session STS issued.
 *
 * @param accessKeyId the access key the request was signed with
 * @param arn the caller's ARN, as GetCallerIdentity tells it
 * @param userId the caller's unique id, as GetCallerIdentity tells it
 * @param roleSession whether the caller is an assumed-role session, so that assuming a role
 *     from it is role chaining
 */
record SandboxPrincipal(String accessKeyId, String arn, String userId, boolean roleSession) { }
