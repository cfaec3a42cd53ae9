package dev.pipewright.aws;

import dev.pipewright.InvalidPipelineException;

/**
 * Steps for OpenAPI (and Swagger 2.0) definitions.
 *
 * <pre>{@code
 * .stage("publish-api-definition", s -> s.needs("deploy-production").in(PRODUCTION).as(publisher)
 *     .step(OpenApi.publish("api/openapi.yaml").to("housing-api-definitions", "housing-api")))
 * }</pre>
 *
 * <p>The runner needs the aws module's handler for these steps: {@code AwsPlugin}.
 *
 * @since 0.1
 */
public final class OpenApi {
    private OpenApi() { }

    /**
     * Starts a publication of the definition at {@code definition}, relative to the stage's
     * workspace; the file is read and checked when the step runs.
     *
     * @return the step, once its bucket is given with {@link OpenApiPublish.BucketStep#to(String, String)}
     * @throws InvalidPipelineException if {@code definition} is null or blank
     */
    public static OpenApiPublish.BucketStep publish(String definition) {
        return OpenApiPublish.start(definition);
    }
}
