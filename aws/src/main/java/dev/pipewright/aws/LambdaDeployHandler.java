package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.base.Suppliers;
import dev.pipewright.Step;
import dev.pipewright.spi.StepContext;
import dev.pipewright.spi.StepFailedException;
import dev.pipewright.spi.StepHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.UpdateAliasResponse;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionCodeRequest;

/**
 * Runs {@link LambdaDeploy} steps: see its documentation for what a deploy does. Every request is
 * signed with the stage's credentials. Thread-safe: each run keeps its state on its own stack.
 */
final class LambdaDeployHandler implements StepHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LambdaDeployHandler.class);
    /** The most Lambda takes as a zip file in the request itself. */
    static final long MAX_DIRECT_ZIP_BYTES = 50L * 1024 * 1024;
    static final Duration DEFAULT_UPDATE_POLL = Duration.ofSeconds(1);
    static final Duration DEFAULT_ALARM_POLL = Duration.ofSeconds(10);
    /** How long a code update may take before the step gives up, when the stage has no deadline. */
    static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(10);

    private final Supplier<LambdaClient> lambdaClient;
    private final Supplier<CloudWatchClient> cloudWatchClient;
    private final Duration updatePoll;
    private final Duration alarmPoll;

    /**
     * A handler using the clients {@code lambda} and {@code cloudWatch} give on first use, polling
     * an update's status every {@code updatePoll} and the alarms every {@code alarmPoll} during a
     * bake.
     */
    LambdaDeployHandler(Supplier<LambdaClient> lambda, Supplier<CloudWatchClient> cloudWatch, Duration updatePoll,
            Duration alarmPoll) {
        this.lambdaClient = Suppliers.memoize(checkNotNull(lambda, "lambda")::get);
        this.cloudWatchClient = Suppliers.memoize(checkNotNull(cloudWatch, "cloudWatch")::get);
        checkArgument(!updatePoll.isNegative() && !updatePoll.isZero(), "updatePoll must be positive");
        checkArgument(!alarmPoll.isNegative() && !alarmPoll.isZero(), "alarmPoll must be positive");
        this.updatePoll = updatePoll;
        this.alarmPoll = alarmPoll;
    }

    LambdaDeployHandler(LambdaClient lambda, CloudWatchClient cloudWatch, Duration updatePoll, Duration alarmPoll) {
        this(() -> lambda, () -> cloudWatch, updatePoll, alarmPoll);
    }

    @Override
    public String type() {
        return LambdaDeploy.TYPE;
    }

    @Override
    public void run(Step step, StepContext context) throws InterruptedException {
        LambdaDeploy deploy = (LambdaDeploy) step;
        new Deployment(deploy, context, StageCredentials.of(context, "step '" + deploy.name() + "'")).run();
    }

    @Override
    public String toString() {
        return "the Lambda deploy handler";
    }

    /** An alarm went off, or could not be read, while traffic moved. */
    private static final class Breach extends Exception {
        private static final long serialVersionUID = 1L;

        Breach(String message) {
            super(message, null, false, false);
        }
    }

    /** One run of one deploy step. */
    private final class Deployment {
        private final LambdaDeploy deploy;
        private final StepContext context;
        private final AwsRequestOverrideConfiguration auth;
        private final String function;
        private final String alias;
        private final String aliasResource;
        private final LambdaClient lambda = lambdaClient.get();
        private final CloudWatchClient cloudWatch = cloudWatchClient.get();

        Deployment(LambdaDeploy deploy, StepContext context, AwsRequestOverrideConfiguration auth) {
            this.deploy = deploy;
            this.context = context;
            this.auth = auth;
            this.function = deploy.function();
            this.alias = deploy.alias();
            this.aliasResource = "alias '" + alias + "' of function '" + function + "'";
        }

        void run() throws InterruptedException {
            GetAliasResponse current = readAlias();
            String previous = current.functionVersion();
            String aliasRevision = current.revisionId();
            Map<String, Double> weights = weights(current.routingConfig());
            if (!weights.isEmpty()) {
                // An interrupted deploy left traffic split. Whatever it was deploying, the alias's own
                // version is the one known to be good: go back to it, then deploy from scratch.
                context.log("Alias '" + alias + "' still sends " + describe(weights) + " (an interrupted deploy);"
                        + " putting all its traffic back on version " + previous + " first.");
                aliasRevision = moveAlias(previous, Map.of(), aliasRevision).revisionId();
            }
            String version = publish(updateCode());
            if (version.equals(previous)) {
                context.log("Alias '" + alias + "' of function '" + function + "' is already on version " + version
                        + ", which has this code: nothing to shift.");
                return;
            }
            requireTimeForTheBake();
            if (deploy.watchesAlarms()) {
                List<String> problems = alarmProblems();
                if (!problems.isEmpty()) {
                    throw new StepFailedException("Before any traffic moved to version " + version + ": "
                            + String.join("; ", problems) + ". Alias '" + alias + "' stays on version " + previous
                            + "; fix the alarms, or wait for them to clear, and run again.");
                }
            }
            shift(previous, version, aliasRevision);
        }

        // ------------------------------------------------------------ alias

        private GetAliasResponse readAlias() {
            try {
                return lambda.getAlias(r -> r.functionName(function).name(alias).overrideConfiguration(auth));
            } catch (ResourceNotFoundException e) {
                throw new StepFailedException(AwsCall.describe("Lambda GetAlias", aliasResource, e) + ". The deploy"
                        + " moves an existing alias, so that there is always a version to go back to: create the"
                        + " function and its alias first, pointing at the version in service (aws lambda"
                        + " create-alias --function-name " + function + " --name " + alias
                        + " --function-version 1).");
            } catch (SdkException e) {
                throw AwsCall.failure("Lambda GetAlias", aliasResource, e);
            }
        }

        /** Points the alias at {@code version}, with {@code weights} to other versions, guarded by {@code revision}. */
        private UpdateAliasResponse moveAlias(String version, Map<String, Double> weights, @Nullable String revision) {
            return AwsCall.run("Lambda UpdateAlias", aliasResource, () -> lambda.updateAlias(r -> r
                    .functionName(function).name(alias).functionVersion(version)
                    .routingConfig(AliasRoutingConfiguration.builder().additionalVersionWeights(weights).build())
                    .revisionId(revision).overrideConfiguration(auth)));
        }

        private static Map<String, Double> weights(@Nullable AliasRoutingConfiguration routing) {
            return routing == null || !routing.hasAdditionalVersionWeights() ? Map.of()
                    : routing.additionalVersionWeights();
        }

        private static String describe(Map<String, Double> weights) {
            StringBuilder b = new StringBuilder();
            weights.forEach((v, w) -> b.append(b.length() == 0 ? "" : ", ").append(Math.round(w * 1000) / 10.0)
                    .append("% of its traffic to version ").append(v));
            return b.toString();
        }

        // ------------------------------------------------------------ code and version

        /** Updates the code unless the function already has it, waits for the update; returns the configuration. */
        private FunctionConfiguration updateCode() throws InterruptedException {
            FunctionConfiguration latest = settled(readFunction());
            String resource = "function '" + function + "'";
            UpdateFunctionCodeRequest.Builder request = UpdateFunctionCodeRequest.builder().functionName(function)
                    .revisionId(latest.revisionId()).publish(false).overrideConfiguration(auth);
            if (deploy.zip().isPresent()) {
                byte[] zip = readZip(deploy.zip().get());
                String sha = sha256(zip);
                if (sha.equals(latest.codeSha256())) {
                    context.log("Function '" + function + "' already has this code (SHA-256 " + sha + ").");
                    return latest;
                }
                context.log("Updating the code of function '" + function + "' from " + deploy.zip().get() + " ("
                        + zip.length + " bytes, SHA-256 " + sha + ").");
                request.zipFile(SdkBytes.fromByteArray(zip));
            } else {
                context.log("Updating the code of function '" + function + "' from s3://" + deploy.bucket() + "/"
                        + deploy.key() + ".");
                request.s3Bucket(deploy.bucket()).s3Key(deploy.key()).s3ObjectVersion(deploy.objectVersion());
            }
            UpdateFunctionCodeRequest r = request.build();
            try {
                lambda.updateFunctionCode(r);
            } catch (PreconditionFailedException e) {
                throw new StepFailedException(AwsCall.describe("Lambda UpdateFunctionCode", resource, e)
                        + ". The function changed between reading and updating it: another deploy may be running."
                        + " Run again once it has finished.");
            } catch (SdkException e) {
                throw AwsCall.failure("Lambda UpdateFunctionCode", resource, e);
            }
            return settled(readFunction());
        }

        private FunctionConfiguration readFunction() {
            return AwsCall.run("Lambda GetFunction", "function '" + function + "'", () -> lambda.getFunction(r -> r
                    .functionName(function).overrideConfiguration(auth)).configuration());
        }

        /** Waits while an update of the function is in progress, as the SDK's FunctionUpdatedV2 waiter does. */
        private FunctionConfiguration settled(FunctionConfiguration configuration) throws InterruptedException {
            Instant giveUp = earliest(Instant.now().plus(UPDATE_TIMEOUT), context.deadline().orElse(null));
            FunctionConfiguration c = configuration;
            while (c.lastUpdateStatus() == LastUpdateStatus.IN_PROGRESS) {
                if (Instant.now().isAfter(giveUp)) {
                    throw new StepFailedException("The code update of function '" + function + "' was still in"
                            + " progress at " + giveUp + "; check the function in the Lambda console.");
                }
                pause(updatePoll);
                c = readFunction();
            }
            if (c.lastUpdateStatus() == LastUpdateStatus.FAILED) {
                throw new StepFailedException("The last update of function '" + function + "' failed: "
                        + c.lastUpdateStatusReasonCodeAsString() + ": " + c.lastUpdateStatusReason()
                        + ". Fix the package or the function's configuration and run again.");
            }
            return c;
        }

        /** Publishes the code as a version, guarded by its SHA-256 and the function's revision. */
        private String publish(FunctionConfiguration latest) {
            String description = "Deployed by Pipewright: pipeline " + context.pipeline() + ", run " + context.runId()
                    + context.commit().map(c -> ", commit " + c).orElse("");
            String resource = "function '" + function + "'";
            try {
                PublishVersionResponse published = lambda.publishVersion(r -> r.functionName(function)
                        .codeSha256(latest.codeSha256()).revisionId(latest.revisionId())
                        .description(description.length() > 256 ? description.substring(0, 256) : description)
                        .overrideConfiguration(auth));
                context.log("Version " + published.version() + " of function '" + function + "' has code SHA-256 "
                        + published.codeSha256() + ".");
                return published.version();
            } catch (PreconditionFailedException e) {
                throw new StepFailedException(AwsCall.describe("Lambda PublishVersion", resource, e)
                        + ". The function changed after its code was updated: another deploy may be running. Run"
                        + " again once it has finished.");
            } catch (SdkException e) {
                throw AwsCall.failure("Lambda PublishVersion", resource, e);
            }
        }

        private byte[] readZip(String path) {
            Path file = context.workspace().resolve(path);
            if (!Files.isRegularFile(file)) {
                throw new StepFailedException("The zip file " + path + " does not exist in the workspace ("
                        + file + "): build it in an earlier step, or fix the path given to zip(...).");
            }
            try {
                long size = Files.size(file);
                if (size > MAX_DIRECT_ZIP_BYTES) {
                    throw new StepFailedException("The zip file " + path + " has " + size + " bytes; Lambda takes"
                            + " at most " + MAX_DIRECT_ZIP_BYTES + " in the request. Upload it to S3 and deploy it"
                            + " with s3(bucket, key).");
                }
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new StepFailedException("Could not read the zip file " + file + ": " + e.getMessage());
            }
        }

        // ------------------------------------------------------------ traffic

        private void requireTimeForTheBake() {
            LambdaTraffic traffic = deploy.traffic();
            Duration bake = traffic.interval().multipliedBy(traffic.steps().size());
            Instant deadline = context.deadline().orElse(null);
            if (deadline != null && Instant.now().plus(bake).isAfter(deadline)) {
                throw new StepFailedException("Traffic shifting (" + traffic + ") bakes for " + bake + ", but the"
                        + " stage must end by " + deadline + ". Raise the stage's timeout, or bake for less.");
            }
        }

        private void shift(String previous, String version, String aliasRevision) throws InterruptedException {
            String revision = aliasRevision;
            String what = "version " + version;
            try {
                for (int percent : deploy.traffic().steps()) {
                    revision = moveAlias(previous, Map.of(version, percent / 100.0), revision).revisionId();
                    what = "version " + version + " at " + percent + "% of the traffic";
                    context.log("Alias '" + alias + "' sends " + percent + "% of its traffic to version " + version
                            + " for " + deploy.traffic().interval() + ".");
                    bake(deploy.traffic().interval(), what);
                }
                moveAlias(version, Map.of(), revision);
                what = "version " + version + " with all the traffic";
                context.log("Alias '" + alias + "' of function '" + function + "' is on version " + version
                        + " (it was on " + previous + ").");
                if (deploy.watchesAlarms() && deploy.traffic().steps().isEmpty()) {
                    breachIfAny(what);
                }
            } catch (Breach e) {
                rollBack(previous, e.getMessage());
            } catch (InterruptedException | CancellationException e) {
                rollBack(previous, "the stage was stopped while moving traffic to " + what);
            } catch (StepFailedException e) {
                rollBack(previous, e.getMessage());
            } catch (RuntimeException e) {
                LOG.debug("Deploy of function '{}' failed while moving traffic", function, e);
                rollBack(previous, "moving traffic to " + what + " failed: " + e);
            }
        }

        /** Waits {@code interval}, polling the alarms; returns early only by throwing. */
        private void bake(Duration interval, String what) throws Breach, InterruptedException {
            Instant end = Instant.now().plus(interval);
            while (true) {
                if (deploy.watchesAlarms()) {
                    breachIfAny(what);
                }
                Duration left = Duration.between(Instant.now(), end);
                if (left.isNegative() || left.isZero()) {
                    return;
                }
                pause(left.compareTo(alarmPoll) < 0 ? left : alarmPoll);
            }
        }

        private void breachIfAny(String what) throws Breach {
            List<String> problems;
            try {
                problems = alarmProblems();
            } catch (StepFailedException e) {
                throw new Breach("the alarms could not be read with " + what + ": " + e.getMessage());
            }
            if (!problems.isEmpty()) {
                throw new Breach(String.join("; ", problems) + " with " + what);
            }
        }

        /** What is wrong with the watched alarms; {@code INSUFFICIENT_DATA} is fine during a deploy. */
        private List<String> alarmProblems() {
            Map<String, CloudWatchAlarms.State> found = CloudWatchAlarms.read(cloudWatch, auth, deploy.alarms(),
                    deploy.alarmPrefix().orElse(null));
            return CloudWatchAlarms.problems(found, deploy.alarms(), deploy.alarmPrefix().orElse(null), true, false);
        }

        /**
         * Puts all the traffic back on {@code previous} and fails the stage as rolled back; if
         * that fails too, fails it plainly, saying where the alias was left.
         */
        private void rollBack(String previous, String why) {
            boolean interrupted = Thread.interrupted(); // the SDK would abort the rollback's calls
            try {
                moveAlias(previous, Map.of(), null);
            } catch (StepFailedException e) {
                throw new StepFailedException(why + ". Rolling back failed too: " + e.getMessage() + ". Alias '"
                        + alias + "' may still send traffic to the new version: point it at version " + previous
                        + " (aws lambda update-alias --function-name " + function + " --name " + alias
                        + " --function-version " + previous + " --routing-config AdditionalVersionWeights={}),"
                        + " or run the stage again, which does.");
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            context.log("Rolled back: alias '" + alias + "' sends all its traffic to version " + previous + " again.");
            throw StepFailedException.rolledBack(why + ". Alias '" + alias + "' of function '" + function
                    + "' is back on version " + previous + ".");
        }

        private void pause(Duration d) throws InterruptedException {
            if (context.isCancelled()) {
                throw new CancellationException("the stage was cancelled");
            }
            Thread.sleep(Math.max(1, d.toMillis()));
            if (context.isCancelled()) {
                throw new CancellationException("the stage was cancelled");
            }
        }
    }

    private static Instant earliest(Instant a, @Nullable Instant b) {
        return b == null || a.isBefore(b) ? a : b;
    }

    /** Base64 of the SHA-256 of {@code bytes}: Lambda's {@code CodeSha256}. */
    static String sha256(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
