/**
 * AWS for pipelines, on the AWS SDK for Java v2: least-privilege roles through STS, Lambda
 * deploys with alias shifting and alarm rollback, CloudWatch and Synthetics gates, OpenAPI
 * definition publishing and SNS notices. Plugs into core through its public API and SPI only.
 *
 * <ul>
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
 * </ul>
 *
 * @since 0.1
 */
@NullMarked
package dev.pipewright.aws;

import org.jspecify.annotations.NullMarked;
