package dev.pipewright.aws;

import dev.pipewright.InvalidPipelineException;

/**
 * Steps for AWS Lambda functions.
 *
 * <pre>{@code
 * .deploy(STAGING, s -> s.needs("build")
 *     .step(Lambda.deploy("arn:aws:lambda:eu-west-2:111111111111:function:housing-api-staging")
 *         .zip("build/housing-api.zip")
 *         .alias("live")
 *         .canary(10, Duration.ofMinutes(5))
 *         .alarms("housing-api-staging-5xx", "housing-api-staging-latency")))
 * }</pre>
 *
 * <p>The runner needs the aws module's handler for these steps: {@code AwsPlugin}.
 *
 * @since 0.1
 */
public final class Lambda {
    private Lambda() { }

    /**
     * Starts a deploy of {@code function}: its name, such as {@code housing-api-staging}, or its
     * unqualified ARN. Give the ARN where you can: the step's permissions then name the function
     * in its region and account rather than in any.
     *
     * @return the step, once its code is given with {@link LambdaDeploy.CodeStep#zip(String)} or
     *     {@link LambdaDeploy.CodeStep#s3(String, String)}
     * @throws InvalidPipelineException if {@code function} is null or neither a function name
     *     nor an unqualified function ARN
     */
    public static LambdaDeploy.CodeStep deploy(String function) {
        return LambdaDeploy.start(function);
    }
}
