/**
 * AWS for pipelines, on the AWS SDK for Java v2: least-privilege roles through STS, Lambda
 * deploys with alias shifting and alarm rollback, CloudWatch and Synthetics gates, OpenAPI
 * definition publishing and SNS notices. Plugs into core through its public API and SPI only.
 *
 * @since 0.1
 */
@NullMarked
package dev.pipewright.aws;

import org.jspecify.annotations.NullMarked;
