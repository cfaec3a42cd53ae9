package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A Lambda function of the sandbox: its {@code $LATEST} code and update state, its published
 * versions and its aliases with their routing weights. Tests set it up ({@link #code},
 * {@link #publish}, {@link #alias}) and inspect what the code under test did to it
 * ({@link #aliasVersion}, {@link #aliasWeights}, {@link #aliasHistory}, {@link #versions}).
 *
 * <p>State machine, as Lambda documents it: UpdateFunctionCode leaves {@code LastUpdateStatus}
 * {@code InProgress} for the next {@link #updatesTake n} reads of the function
 * (GetFunction/GetFunctionConfiguration; one by default), then {@code Successful}, or
 * {@code Failed} after {@link #failNextUpdate}; while it is in progress, UpdateFunctionCode and
 * PublishVersion are refused with {@code ResourceConflictException} (409). PublishVersion
 * numbers versions from 1 and returns the latest version again when {@code $LATEST} has not
 * changed since. The RevisionId of {@code $LATEST} changes when an update starts and when it
 * ends; an alias's changes with every update.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class FakeFunction {
    static final String LATEST = "$LATEST";
    private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);

    private final FakeLambda lambda;
    private final String name;
    private final String arn;

    // All guarded by lambda.
    Code latest;
    String latestRevision = newRevision();
    String lastModified;
    String lastUpdateStatus = "Successful";
    @Nullable String lastUpdateReason;
    @Nullable String lastUpdateReasonCode;
    @Nullable Code previous;
    int pendingReads;
    int updateReads = 1;
    @Nullable String failNextUpdate;
    final List<Version> versions = new ArrayList<>();
    final Map<String, Alias> aliases = new LinkedHashMap<>();

    FakeFunction(FakeLambda lambda, String name, String arn, Instant now) {
        this.lambda = lambda;
        this.name = name;
        this.arn = arn;
        this.latest = Code.of(defaultZip(name));
        this.lastModified = LAST_MODIFIED.format(now);
    }

    /** The code of one version: its SHA-256 (base64) and size. */
    record Code(String sha256, long size) {
        static Code of(byte[] zip) {
            return new Code(FakeFunction.sha256(zip), zip.length);
        }
    }

    /** A published version. */
    record Version(String number, Code code, String description, String revisionId, String lastModified) { }

    /** An alias and every routing it has had. */
    static final class Alias {
        final String name;
        String version;
        Map<String, Double> weights;
        String description;
        String revisionId = newRevision();
        final List<FakeLambda.Routing> history = new ArrayList<>();

        Alias(String name, String version, Map<String, Double> weights, String description) {
            this.name = name;
            this.version = version;
            this.weights = ImmutableMap.copyOf(weights);
            this.description = description;
            history.add(new FakeLambda.Routing(version, this.weights));
        }

        void route(String version, Map<String, Double> weights) {
            this.version = version;
            this.weights = ImmutableMap.copyOf(weights);
            this.revisionId = newRevision();
            history.add(new FakeLambda.Routing(version, this.weights));
        }
    }

    /** The function's name. */
    public String name() {
        return name;
    }

    /** The function's unqualified ARN, {@code arn:aws:lambda:<region>:<account>:function:<name>}. */
    public String arn() {
        return arn;
    }

    /**
     * Replaces the code of {@code $LATEST} with {@code zip} at once, as set-up (no update in
     * progress, no version published).
     *
     * @return this
     */
    @CanIgnoreReturnValue
    public FakeFunction code(byte[] zip) {
        checkNotNull(zip, "zip");
        synchronized (lambda) {
            latest = Code.of(zip);
            latestRevision = newRevision();
        }
        return this;
    }

    /** The CodeSha256 of {@code $LATEST}: the base64 SHA-256 of its zip, as Lambda computes it. */
    public String codeSha256() {
        synchronized (lambda) {
            return latest.sha256;
        }
    }

    /** The RevisionId of {@code $LATEST}. */
    public String revisionId() {
        synchronized (lambda) {
            return latestRevision;
        }
    }

    /** {@code Successful}, {@code InProgress} or {@code Failed}, without counting as a read. */
    public String lastUpdateStatus() {
        synchronized (lambda) {
            return lastUpdateStatus;
        }
    }

    /**
     * Publishes {@code $LATEST} as the next version, as set-up.
     *
     * @return the version's number
     */
    @CanIgnoreReturnValue
    public String publish() {
        synchronized (lambda) {
            return lambda.publish(this, "").number();
        }
    }

    /**
     * Points alias {@code alias} at {@code version} with no extra version, creating it if need
     * be, as set-up.
     *
     * @return this
     * @throws IllegalArgumentException if the version does not exist
     */
    @CanIgnoreReturnValue
    public FakeFunction alias(String alias, String version) {
        checkNotNull(alias, "alias");
        checkNotNull(version, "version");
        synchronized (lambda) {
            checkArgument(version.equals(LATEST) || version(version).isPresent(),
                    "function '%s' has no version %s; published: %s", name, version, versions());
            Alias a = aliases.get(alias);
            if (a == null) {
                aliases.put(alias, new Alias(alias, version, Map.of(), ""));
            } else {
                a.route(version, Map.of());
            }
        }
        return this;
    }

    /** The published versions, oldest first. */
    public List<String> versions() {
        synchronized (lambda) {
            return versions.stream().map(Version::number).collect(ImmutableList.toImmutableList());
        }
    }

    /** The CodeSha256 of published version {@code version}, if it exists. */
    public Optional<String> codeSha256(String version) {
        synchronized (lambda) {
            return version(version).map(v -> v.code.sha256);
        }
    }

    /** The version alias {@code alias} points at, if the alias exists. */
    public Optional<String> aliasVersion(String alias) {
        synchronized (lambda) {
            return Optional.ofNullable(aliases.get(alias)).map(a -> a.version);
        }
    }

    /** The extra version of alias {@code alias} and its weight; empty if none or no such alias. */
    public Map<String, Double> aliasWeights(String alias) {
        synchronized (lambda) {
            Alias a = aliases.get(alias);
            return a == null ? Map.of() : a.weights;
        }
    }

    /** Every routing alias {@code alias} has had, from its creation; empty if no such alias. */
    public List<FakeLambda.Routing> aliasHistory(String alias) {
        synchronized (lambda) {
            Alias a = aliases.get(alias);
            return a == null ? List.of() : ImmutableList.copyOf(a.history);
        }
    }

    /**
     * How many reads of the function (GetFunction, GetFunctionConfiguration) see an update
     * {@code InProgress} before it ends; 1 by default, 0 to end updates at once.
     *
     * @return this
     */
    @CanIgnoreReturnValue
    public FakeFunction updatesTake(int reads) {
        checkArgument(reads >= 0, "reads must not be negative but was %s", reads);
        synchronized (lambda) {
            updateReads = reads;
        }
        return this;
    }

    /**
     * Makes the next code update end {@code Failed} with {@code reason}, leaving the code as it
     * was.
     *
     * @return this
     */
    @CanIgnoreReturnValue
    public FakeFunction failNextUpdate(String reason) {
        checkNotNull(reason, "reason");
        synchronized (lambda) {
            failNextUpdate = reason;
        }
        return this;
    }

    @Override
    public String toString() {
        return "function " + name;
    }

    // ------------------------------------------------------------------ for FakeLambda, holding its lock

    Optional<Version> version(String number) {
        return versions.stream().filter(v -> v.number.equals(number)).findFirst();
    }

    /** Ends an update in progress once no reads are pending. */
    void advance(Instant now) {
        if (lastUpdateStatus.equals("InProgress") && pendingReads == 0) {
            if (failNextUpdate != null) {
                lastUpdateStatus = "Failed";
                lastUpdateReason = failNextUpdate;
                lastUpdateReasonCode = "InternalError";
                latest = previous == null ? latest : previous;
                failNextUpdate = null;
            } else {
                lastUpdateStatus = "Successful";
            }
            previous = null;
            latestRevision = newRevision();
            lastModified = LAST_MODIFIED.format(now);
        }
    }

    /** A read of the function's configuration: one pending read fewer. */
    void read(Instant now) {
        advance(now);
        if (lastUpdateStatus.equals("InProgress")) {
            pendingReads--;
        }
    }

    void startUpdate(Code code, Instant now) {
        previous = latest;
        latest = code;
        lastUpdateStatus = "InProgress";
        lastUpdateReason = null;
        lastUpdateReasonCode = null;
        pendingReads = updateReads;
        latestRevision = newRevision();
        lastModified = LAST_MODIFIED.format(now);
    }

    String lastModifiedNow(Instant now) {
        return LAST_MODIFIED.format(now);
    }

    static String newRevision() {
        return UUID.randomUUID().toString();
    }

    static String sha256(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A small, valid zip holding one file, so a function has a plausible CodeSha256 from the start. */
    static byte[] defaultZip(String name) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry("index.txt");
            entry.setTime(0);
            zip.putNextEntry(entry);
            zip.write(("sandbox function " + name + "\n").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
