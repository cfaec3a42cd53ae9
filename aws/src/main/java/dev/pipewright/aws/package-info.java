/**
 * AWS for pipelines, on the AWS SDK for Java v2: least-privilege roles through STS, Lambda
 * deploys with alias shifting and alarm rollback, CloudWatch and Synthetics gates, OpenAPI
 * definition publishing and SNS notices. Plugs into core through its public API and SPI only.
 *
 * <ul>
 *   <li>Roles: {@link dev.pipewright.aws.AwsRole} (ARN, session policy from the role's grants,
 *       external id, session name and tags, the shortest duration that covers the stage) and
 *       {@link dev.pipewright.aws.StsCredentials} (AssumeRole locally, AssumeRoleWithWebIdentity
 *       with CircleCI's OIDC token; cached per stage, refreshed before expiry, never on disk).
 *   <li>Steps: {@link dev.pipewright.aws.Lambda#deploy} ({@link dev.pipewright.aws.LambdaDeploy}:
 *       canary or linear traffic shifting, alarm rollback recorded as {@code ROLLED_BACK}) and
 *       {@link dev.pipewright.aws.OpenApi#publish} ({@link dev.pipewright.aws.OpenApiPublish},
 *       checked by {@link dev.pipewright.aws.OpenApiDefinition}), run by {@link
 *       dev.pipewright.aws.AwsPlugin} with the stage's own credentials.
 *   <li>Gates: {@link dev.pipewright.aws.CloudWatchAlarms} and {@link
 *       dev.pipewright.aws.SyntheticsCanary}, failing closed.
 *   <li>Notices: {@link dev.pipewright.aws.SnsNotifications}, a run listener.
 *   <li>Least privilege: {@link dev.pipewright.aws.LeastPrivilege}, what stages need against what
 *       their roles grant.
 *   <li>Tests without an AWS account: {@link dev.pipewright.aws.AwsSandbox}, protocol-level fakes
 *       of STS, Lambda, CloudWatch, Synthetics and SNS on 127.0.0.1 whose answers are written from
 *       the SDK's own model objects, and S3 through s3proxy when it is on the classpath.
 * </ul>
 *
 * @since 0.1
 */
@NullMarked
@CheckReturnValue
package dev.pipewright.aws;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
