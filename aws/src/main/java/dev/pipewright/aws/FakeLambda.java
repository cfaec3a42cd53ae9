package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;
import software.amazon.awssdk.services.lambda.model.Architecture;
import software.amazon.awssdk.services.lambda.model.CreateAliasResponse;
import software.amazon.awssdk.services.lambda.model.FunctionCodeLocation;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.ListAliasesResponse;
import software.amazon.awssdk.services.lambda.model.ListVersionsByFunctionResponse;
import software.amazon.awssdk.services.lambda.model.PackageType;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.UpdateAliasResponse;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionCodeResponse;
import tools.jackson.databind.JsonNode;

/**
 * The sandbox's Lambda control plane: GetFunction, GetFunctionConfiguration, UpdateFunctionCode,
 * PublishVersion, ListVersionsByFunction, GetAlias, CreateAlias, UpdateAlias and ListAliases
 * over restJson1, on the functions a test declares with {@link #givenFunction}.
 *
 * <p>Errors are Lambda's, named by the {@code x-amzn-ErrorType} header:
 * {@code ResourceNotFoundException} (404) for unknown functions, versions and aliases,
 * {@code ResourceConflictException} (409) for an update in progress or an existing alias,
 * {@code PreconditionFailedException} (412) when a RevisionId does not match,
 * {@code InvalidParameterValueException} (400) for a CodeSha256 that does not match, a zip that
 * is not a zip or an invalid routing, {@code ValidationException} (400) for violated member
 * constraints (alias weights outside [0, 1]...). Inject {@code TooManyRequestsException} (429)
 * with {@link AwsSandbox#failNext}.
 *
 * <pre>{@code
 * FakeFunction api = sandbox.lambda().givenFunction("housing-api-staging");
 * api.alias("live", api.publish());
 * // ... deploy ...
 * assertThat(api.aliasVersion("live")).contains("2");
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class FakeLambda {
    private static final Set<String> OPERATIONS = Set.of("GetFunction", "GetFunctionConfiguration",
            "UpdateFunctionCode", "PublishVersion", "ListVersionsByFunction", "GetAlias", "CreateAlias",
            "UpdateAlias", "ListAliases");
    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9-_]{1,64}");
    private static final Pattern FUNCTION_ARN = Pattern.compile(
            "(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:)?(\\d{12}):function:([a-zA-Z0-9-_]+)(?::(\\$LATEST|[a-zA-Z0-9-_]+))?");
    private static final Pattern ALIAS_NAME = Pattern.compile("(?!^[0-9]+$)([a-zA-Z0-9-_]+)");
    private static final Pattern VERSION = Pattern.compile("(\\$LATEST|[0-9]+)");
    private static final String PREFIX = "2015-03-31";

    private final String account;
    private final String region;
    private final Clock clock;
    private final Map<String, FakeFunction> functions = new LinkedHashMap<>(); // guarded by this

    FakeLambda(String account, String region, Clock clock) {
        this.account = account;
        this.region = region;
        this.clock = clock;
    }

    /**
     * A state an alias had: the version it pointed at and its extra version's weight.
     *
     * @param version the alias's FunctionVersion
     * @param weights the AdditionalVersionWeights: at most one version, with its share in [0, 1]
     * @since 0.1
     */
    public record Routing(String version, Map<String, Double> weights) {
        /** Copies the weights. */
        public Routing {
            checkNotNull(version, "version");
            weights = ImmutableMap.copyOf(weights);
        }
    }

    /**
     * Declares function {@code name} with a small zip as its {@code $LATEST} code, no published
     * version and no alias.
     *
     * @throws IllegalArgumentException if the name is not a valid function name or is taken
     */
    public synchronized FakeFunction givenFunction(String name) {
        checkNotNull(name, "name");
        checkArgument(FUNCTION_NAME.matcher(name).matches(), "'%s' is not a Lambda function name: 1 to 64 letters,"
                + " digits, - and _", name);
        checkArgument(!functions.containsKey(name), "function '%s' is already declared", name);
        FakeFunction f = new FakeFunction(this, name, "arn:aws:lambda:" + region + ":" + account + ":function:" + name,
                clock.instant());
        functions.put(name, f);
        return f;
    }

    /** Function {@code name}, if declared. */
    public synchronized Optional<FakeFunction> function(String name) {
        return Optional.ofNullable(functions.get(name));
    }

    SandboxService service() {
        return new Handler();
    }

    // ------------------------------------------------------------------ routing

    private final class Handler extends SandboxService {
        Handler() {
            super(AwsSandbox.Service.LAMBDA, SandboxProtocol.REST_JSON, "com.amazonaws.lambda", OPERATIONS);
        }

        @Override
        String operation(SandboxRequest r) {
            List<String> s = r.segments();
            String method = r.method();
            if (s.size() >= 3 && s.get(0).equals(PREFIX) && s.get(1).equals("functions")) {
                String tail = s.size() == 3 ? "" : s.get(3);
                switch (s.size()) {
                    case 3:
                        if (method.equals("GET")) {
                            return "GetFunction";
                        }
                        break;
                    case 4:
                        if (tail.equals("configuration") && method.equals("GET")) {
                            return "GetFunctionConfiguration";
                        } else if (tail.equals("code") && method.equals("PUT")) {
                            return "UpdateFunctionCode";
                        } else if (tail.equals("versions")) {
                            return method.equals("POST") ? "PublishVersion" : "ListVersionsByFunction";
                        } else if (tail.equals("aliases")) {
                            return method.equals("POST") ? "CreateAlias" : "ListAliases";
                        }
                        break;
                    case 5:
                        if (tail.equals("aliases")) {
                            if (method.equals("GET")) {
                                return "GetAlias";
                            } else if (method.equals("PUT")) {
                                return "UpdateAlias";
                            }
                        }
                        break;
                    default:
                        break;
                }
            }
            throw SandboxError.client(404, "UnknownOperationException", "The sandbox's Lambda does not serve "
                    + r + "; it serves " + OPERATIONS);
        }

        @Override
        SandboxResponse handle(String operation, SandboxRequest r, @Nullable SandboxPrincipal caller,
                String requestId) {
            List<String> s = r.segments();
            Ref ref = ref(s.get(2), r.query("Qualifier").orElse(null));
            SdkPojo model;
            int status = 200;
            synchronized (FakeLambda.this) {
                FakeFunction f = functions.get(ref.name);
                if (f == null) {
                    throw notFound("Function not found: " + arn(ref.name, ref.qualifier));
                }
                Instant now = clock.instant();
                f.advance(now);
                switch (operation) {
                    case "GetFunction" -> {
                        FunctionConfiguration c = configuration(f, ref.qualifier, true, now);
                        model = GetFunctionResponse.builder().configuration(c)
                                .code(FunctionCodeLocation.builder().repositoryType("S3")
                                        .location("https://awslambda-" + region + "-tasks.s3." + region
                                                + ".amazonaws.com/snapshots/" + account + "/" + f.name() + "-"
                                                + c.codeSha256().substring(0, 8).replaceAll("[^A-Za-z0-9]", "x"))
                                        .build())
                                .build();
                    }
                    case "GetFunctionConfiguration" -> model = copy(configuration(f, ref.qualifier, true, now),
                            GetFunctionConfigurationResponse.builder()).build();
                    case "UpdateFunctionCode" -> model = copy(updateCode(f, r.json(), now),
                            UpdateFunctionCodeResponse.builder()).build();
                    case "PublishVersion" -> {
                        model = copy(publishVersion(f, r.json()), PublishVersionResponse.builder()).build();
                        status = 201;
                    }
                    case "ListVersionsByFunction" -> model = listVersions(f, r, now);
                    case "CreateAlias" -> {
                        model = copy(createAlias(f, r.json()), CreateAliasResponse.builder()).build();
                        status = 201;
                    }
                    case "GetAlias" -> model = copy(aliasConfiguration(f, alias(f, s.get(4))), GetAliasResponse.builder())
                            .build();
                    case "UpdateAlias" -> model = copy(updateAlias(f, s.get(4), r.json()), UpdateAliasResponse.builder())
                            .build();
                    case "ListAliases" -> model = listAliases(f, r);
                    default -> throw new IllegalStateException(operation);
                }
            }
            return SandboxProtocol.REST_JSON.result(status, operation, "", model, requestId);
        }
    }

    /** A function named in a path, possibly by ARN, and a qualifier from the ARN or the query. */
    private record Ref(String name, @Nullable String qualifier) { }

    private Ref ref(String named, @Nullable String queryQualifier) {
        var m = FUNCTION_ARN.matcher(named);
        if (m.matches()) {
            return new Ref(m.group(2), m.group(3) != null ? m.group(3) : queryQualifier);
        }
        if (!FUNCTION_NAME.matcher(named).matches()) {
            SandboxValidation v = new SandboxValidation();
            v.pattern("functionName", named, FUNCTION_ARN);
            v.throwIfAny(400, "ValidationException");
        }
        return new Ref(named, queryQualifier);
    }

    private String arn(String name, @Nullable String qualifier) {
        return "arn:aws:lambda:" + region + ":" + account + ":function:" + name + (qualifier == null ? "" : ":" + qualifier);
    }

    private static SandboxError notFound(String message) {
        return SandboxError.client(404, "ResourceNotFoundException", message);
    }

    // ------------------------------------------------------------------ functions and versions

    /** The configuration of {@code qualifier} ($LATEST, a version or an alias); a read of $LATEST. */
    private FunctionConfiguration configuration(FakeFunction f, @Nullable String qualifier, boolean read, Instant now) {
        if (qualifier == null || qualifier.equals(FakeFunction.LATEST)) {
            if (read) {
                f.read(now);
            }
            return latestConfiguration(f);
        }
        String version = qualifier;
        if (!VERSION.matcher(qualifier).matches()) {
            version = alias(f, qualifier).version;
            if (version.equals(FakeFunction.LATEST)) {
                return latestConfiguration(f);
            }
        }
        String number = version;
        FakeFunction.Version v = f.version(number)
                .orElseThrow(() -> notFound("Function not found: " + arn(f.name(), qualifier)));
        return base(f).functionArn(f.arn() + ":" + v.number()).version(v.number()).codeSha256(v.code().sha256())
                .codeSize(v.code().size()).description(v.description()).revisionId(v.revisionId())
                .lastModified(v.lastModified()).lastUpdateStatus("Successful").build();
    }

    private FunctionConfiguration latestConfiguration(FakeFunction f) {
        return base(f).functionArn(f.arn() + ":" + FakeFunction.LATEST).version(FakeFunction.LATEST)
                .codeSha256(f.latest.sha256()).codeSize(f.latest.size()).description("").revisionId(f.latestRevision)
                .lastModified(f.lastModified).lastUpdateStatus(f.lastUpdateStatus)
                .lastUpdateStatusReason(f.lastUpdateReason).lastUpdateStatusReasonCode(f.lastUpdateReasonCode)
                .build();
    }

    private FunctionConfiguration.Builder base(FakeFunction f) {
        return FunctionConfiguration.builder().functionName(f.name()).runtime("java17")
                .role("arn:aws:iam::" + account + ":role/" + f.name() + "-execution")
                .handler("example.Handler::handleRequest").timeout(30).memorySize(512).state(State.ACTIVE)
                .packageType(PackageType.ZIP).architectures(Architecture.X86_64);
    }

    private FunctionConfiguration updateCode(FakeFunction f, JsonNode body, Instant now) {
        String zip = text(body, "ZipFile");
        String bucket = text(body, "S3Bucket");
        String key = text(body, "S3Key");
        String objectVersion = text(body, "S3ObjectVersion");
        String image = text(body, "ImageUri");
        String revision = text(body, "RevisionId");
        SandboxValidation v = new SandboxValidation();
        v.length("s3Bucket", bucket, 3, 63);
        v.length("s3Key", key, 1, 1024);
        v.throwIfAny(400, "ValidationException");
        if (image != null) {
            throw invalidParameter("Please don't provide ImageUri when updating a function with packageType Zip.");
        }
        int sources = (zip != null ? 1 : 0) + (bucket != null || key != null ? 1 : 0);
        if (sources != 1 || (zip == null && (bucket == null || key == null))) {
            throw invalidParameter("Please provide a source for function code: either ZipFile, or S3Bucket and S3Key.");
        }
        checkRevision(f.latestRevision, revision);
        checkNotInProgress(f);
        FakeFunction.Code code;
        if (zip != null) {
            byte[] bytes = Base64.getDecoder().decode(zip);
            if (bytes.length < 4 || bytes[0] != 'P' || bytes[1] != 'K') {
                throw invalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.");
            }
            code = FakeFunction.Code.of(bytes);
        } else {
            // The sandbox does not fetch S3 objects: the code is identified by its location.
            code = FakeFunction.Code.of(("s3://" + bucket + "/" + key + (objectVersion == null ? "" : "?versionId="
                    + objectVersion)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (body.path("DryRun").asBoolean(false)) {
            return base(f).functionArn(f.arn() + ":" + FakeFunction.LATEST).version(FakeFunction.LATEST)
                    .codeSha256(code.sha256()).codeSize(code.size()).revisionId(f.latestRevision)
                    .lastModified(f.lastModified).lastUpdateStatus(f.lastUpdateStatus).build();
        }
        f.startUpdate(code, now);
        FunctionConfiguration inProgress = latestConfiguration(f);
        if (body.path("Publish").asBoolean(false)) {
            // Lambda publishes once the update ends; the sandbox ends it at once.
            f.pendingReads = 0;
            f.advance(now);
            return configuration(f, publish(f, "").number(), false, now);
        }
        return inProgress;
    }

    private FunctionConfiguration publishVersion(FakeFunction f, JsonNode body) {
        String sha = text(body, "CodeSha256");
        String description = text(body, "Description");
        String revision = text(body, "RevisionId");
        SandboxValidation v = new SandboxValidation();
        v.length("description", description, 0, 256);
        v.throwIfAny(400, "ValidationException");
        checkNotInProgress(f);
        checkRevision(f.latestRevision, revision);
        if (sha != null && !sha.equals(f.latest.sha256())) {
            throw invalidParameter("CodeSHA256 (" + sha + ") is different from current CodeSHA256 in $LATEST ("
                    + f.latest.sha256() + "). Please try again with the current CodeSHA256.");
        }
        return configuration(f, publish(f, description == null ? "" : description).number(), false, clock.instant());
    }

    /** Publishes $LATEST, or returns the latest version when $LATEST has not changed since. */
    FakeFunction.Version publish(FakeFunction f, String description) {
        if (!f.versions.isEmpty()) {
            FakeFunction.Version last = f.versions.get(f.versions.size() - 1);
            if (last.code().equals(f.latest)) {
                return last;
            }
        }
        FakeFunction.Version v = new FakeFunction.Version(Integer.toString(f.versions.size() + 1), f.latest,
                description, FakeFunction.newRevision(), f.lastModifiedNow(clock.instant()));
        f.versions.add(v);
        return v;
    }

    private SdkPojo listVersions(FakeFunction f, SandboxRequest r, Instant now) {
        List<FunctionConfiguration> all = new ArrayList<>();
        all.add(latestConfiguration(f));
        for (FakeFunction.Version v : f.versions) {
            all.add(configuration(f, v.number(), false, now));
        }
        Page<FunctionConfiguration> page = page(all, r);
        return ListVersionsByFunctionResponse.builder().versions(page.items).nextMarker(page.next).build();
    }

    private static void checkNotInProgress(FakeFunction f) {
        if (f.lastUpdateStatus.equals("InProgress")) {
            throw SandboxError.client(409, "ResourceConflictException", "The operation cannot be performed at this"
                    + " time. An update is in progress for resource: " + f.arn());
        }
    }

    private static void checkRevision(String current, @Nullable String given) {
        if (given != null && !given.equals(current)) {
            throw SandboxError.client(412, "PreconditionFailedException", "The Revision Id provided does not match the"
                    + " latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
        }
    }

    private static SandboxError invalidParameter(String message) {
        return SandboxError.client(400, "InvalidParameterValueException", message);
    }

    // ------------------------------------------------------------------ aliases

    private FakeFunction.Alias alias(FakeFunction f, String name) {
        FakeFunction.Alias a = f.aliases.get(name);
        if (a == null) {
            throw notFound("Alias not found: " + arn(f.name(), name));
        }
        return a;
    }

    private AliasConfiguration aliasConfiguration(FakeFunction f, FakeFunction.Alias a) {
        AliasConfiguration.Builder b = AliasConfiguration.builder().aliasArn(arn(f.name(), a.name)).name(a.name)
                .functionVersion(a.version).description(a.description).revisionId(a.revisionId);
        if (!a.weights.isEmpty()) {
            b.routingConfig(AliasRoutingConfiguration.builder().additionalVersionWeights(a.weights).build());
        }
        return b.build();
    }

    private AliasConfiguration createAlias(FakeFunction f, JsonNode body) {
        String name = text(body, "Name");
        String version = text(body, "FunctionVersion");
        String description = text(body, "Description");
        SandboxValidation v = new SandboxValidation();
        if (v.required("name", name)) {
            v.length("name", name, 1, 128);
            v.pattern("name", name, ALIAS_NAME);
        }
        if (v.required("functionVersion", version)) {
            v.length("functionVersion", version, 1, 1024);
            v.pattern("functionVersion", version, VERSION);
        }
        v.length("description", description, 0, 256);
        Map<String, Double> weights = weights(body, v);
        v.throwIfAny(400, "ValidationException");
        if (f.aliases.containsKey(name)) {
            throw SandboxError.client(409, "ResourceConflictException", "Alias already exists: " + arn(f.name(), name));
        }
        checkRouting(f, checkNotNull(version), weights);
        FakeFunction.Alias a = new FakeFunction.Alias(checkNotNull(name), version, weights,
                description == null ? "" : description);
        f.aliases.put(name, a);
        return aliasConfiguration(f, a);
    }

    private AliasConfiguration updateAlias(FakeFunction f, String name, JsonNode body) {
        String version = text(body, "FunctionVersion");
        String description = text(body, "Description");
        String revision = text(body, "RevisionId");
        SandboxValidation v = new SandboxValidation();
        v.length("functionVersion", version, 1, 1024);
        v.pattern("functionVersion", version, VERSION);
        v.length("description", description, 0, 256);
        Map<String, Double> weights = weights(body, v);
        v.throwIfAny(400, "ValidationException");
        FakeFunction.Alias a = alias(f, name);
        checkRevision(a.revisionId, revision);
        String target = version != null ? version : a.version;
        Map<String, Double> routing = body.has("RoutingConfig") ? weights : a.weights;
        checkRouting(f, target, routing);
        if (description != null) {
            a.description = description;
        }
        a.route(target, routing);
        return aliasConfiguration(f, a);
    }

    private static Map<String, Double> weights(JsonNode body, SandboxValidation v) {
        JsonNode node = body.path("RoutingConfig").path("AdditionalVersionWeights");
        Map<String, Double> weights = new LinkedHashMap<>();
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                v.length("routingConfig.additionalVersionWeights.key", e.getKey(), 1, 1024);
                v.pattern("routingConfig.additionalVersionWeights.key", e.getKey(), Pattern.compile("[0-9]+"));
                double w = e.getValue().asDouble();
                if (w < 0.0 || w > 1.0) {
                    v.add("Value '{" + e.getKey() + "=" + w + "}' at 'routingConfig.additionalVersionWeights'"
                            + " failed to satisfy constraint: Map value must satisfy constraint: [Member must have value"
                            + " less than or equal to 1.0, Member must have value greater than or equal to 0.0]");
                }
                weights.put(e.getKey(), w);
            }
        }
        return weights;
    }

    private void checkRouting(FakeFunction f, String version, Map<String, Double> weights) {
        if (!version.equals(FakeFunction.LATEST) && f.version(version).isEmpty()) {
            throw notFound("Function not found: " + arn(f.name(), version));
        }
        if (weights.isEmpty()) {
            return;
        }
        if (weights.size() > 1) {
            throw invalidParameter("Number of items in AdditionalVersionWeights cannot be greater than 1; got "
                    + weights.keySet());
        }
        if (version.equals(FakeFunction.LATEST)) {
            throw invalidParameter("$LATEST is not supported for an alias pointing to more than 1 version");
        }
        String extra = weights.keySet().iterator().next();
        if (extra.equals(version)) {
            throw invalidParameter("Version " + extra + " is both the alias's FunctionVersion and its additional"
                    + " version; route to a different version.");
        }
        if (f.version(extra).isEmpty()) {
            throw invalidParameter("Version " + extra + " of function " + f.name() + " does not exist.");
        }
    }

    private SdkPojo listAliases(FakeFunction f, SandboxRequest r) {
        Optional<String> version = r.query("FunctionVersion");
        List<AliasConfiguration> all = f.aliases.values().stream()
                .filter(a -> version.isEmpty() || a.version.equals(version.get()))
                .map(a -> aliasConfiguration(f, a)).toList();
        Page<AliasConfiguration> page = page(all, r);
        return ListAliasesResponse.builder().aliases(page.items).nextMarker(page.next).build();
    }

    // ------------------------------------------------------------------ helpers

    private record Page<T>(List<T> items, @Nullable String next) { }

    private static <T> Page<T> page(List<T> all, SandboxRequest r) {
        int start = 0;
        Optional<String> marker = r.query("Marker");
        if (marker.isPresent()) {
            try {
                start = Integer.parseInt(marker.get());
            } catch (NumberFormatException e) {
                start = -1;
            }
            if (start < 0 || start > all.size()) {
                throw invalidParameter("Invalid Marker: " + marker.get());
            }
        }
        int max = 50;
        if (r.query("MaxItems").isPresent()) {
            max = Integer.parseInt(r.query("MaxItems").get());
            SandboxValidation v = new SandboxValidation();
            v.range("maxItems", max, 1, 10000);
            v.throwIfAny(400, "ValidationException");
        }
        int end = Math.min(all.size(), start + max);
        return new Page<>(all.subList(start, end), end < all.size() ? Integer.toString(end) : null);
    }

    private static @Nullable String text(JsonNode body, String name) {
        JsonNode node = body.get(name);
        return node == null || node.isNull() ? null : node.asString();
    }

    /** Copies every member of {@code from} into {@code into} that has one of the same name. */
    static <B extends SdkPojo> B copy(SdkPojo from, B into) {
        Map<String, software.amazon.awssdk.core.SdkField<?>> source = new LinkedHashMap<>();
        from.sdkFields().forEach(field -> source.put(field.memberName(), field));
        into.sdkFields().forEach(field -> {
            software.amazon.awssdk.core.SdkField<?> s = source.get(field.memberName());
            if (s != null) {
                Object value = s.getValueOrDefault(from);
                if (value != null) {
                    field.set(into, value);
                }
            }
        });
        return into;
    }
}
