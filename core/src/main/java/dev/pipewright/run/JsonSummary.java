package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkNotNull;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.pipewright.Ref;
import dev.pipewright.spi.Approval;
import dev.pipewright.spi.ApprovalRequest;
import dev.pipewright.spi.Attachment;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.RunInfo;
import dev.pipewright.spi.RunListener;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.StageResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a run's summary as JSON when the run finishes: what ran, how each stage and hook ended,
 * the approvals given and the files attached. Meant for scripts and dashboards; people read the
 * console.
 *
 * <p>The file is UTF-8, pretty-printed with LF line ends, its fields always present and always in
 * this order, absent values {@code null}, times ISO-8601 instants to the millisecond:
 *
 * <pre>{@code
 * {
 *   "runId" : "20261126T101500Z-1a2b3c",
 *   "pipeline" : "housing-api",
 *   "status" : "FAILED",                      // a RunStatus
 *   "message" : "stage 'test' failed",        // null when it succeeded
 *   "facts" : { "branch" : "master", "tag" : null, "commit" : "4f1c…", "changedPaths" : [ "src/A.java" ] },
 *   "startedAt" : "2026-11-26T10:15:00.000Z",
 *   "durationMillis" : 62000,
 *   "stages" : [ { "name" : "test", "outcome" : "FAILED", "attempts" : 2, "exitCode" : 1,
 *                  "durationMillis" : 8123, "message" : "exit code 1" } ],
 *   "hooks" : [ ... as stages ... ],
 *   "approvals" : [ { "stage" : "deploy", "gate" : "approval", "approved" : true, "who" : "ana",
 *                     "why" : "ok", "at" : "2026-11-26T10:15:30.000Z" } ],
 *   "attachments" : [ { "stage" : "test", "kind" : "TEST_RESULTS", "path" : "/…/surefire-reports" } ]
 * }
 * }</pre>
 *
 * <p>{@code changedPaths} is null when unknown, else sorted. Stages are in the pipeline's order,
 * hooks in the order they ran, approvals and attachments in the order they were reported. The
 * texts are the masked ones the listener was given.
 *
 * <p>Thread-safe. The file is replaced atomically, so a reader never sees half of it.
 */
final class JsonSummary implements RunListener {
    /** The name the summary usually has in the run folder. */
    static final String FILE_NAME = "summary.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ObjectWriter PRETTY;

    static {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        PRETTY = JSON.writer().with(new DefaultPrettyPrinter().withObjectIndenter(indenter)
                .withArrayIndenter(indenter));
    }

    private record Decision(String stage, String gate, Approval approval, Instant at) { }

    private record Attached(String stage, Attachment attachment) { }

    private final Path file;
    private final Clock clock;
    private final Object lock = new Object();
    /** When runStarted came. Guarded by lock. */
    private @Nullable Instant startedAt;
    /** Guarded by lock. */
    private final List<Decision> approvals = new ArrayList<>();
    /** Guarded by lock. */
    private final List<Attached> attachments = new ArrayList<>();

    /** A summary written to {@code file} (usually {@value #FILE_NAME} in the run folder). */
    JsonSummary(Path file) {
        this(file, Clock.systemUTC());
    }

    /** As {@link #JsonSummary(Path)}, with the clock that dates the run's start and the approvals. */
    JsonSummary(Path file, Clock clock) {
        this.file = checkNotNull(file, "file");
        this.clock = checkNotNull(clock, "clock");
    }

    /** The file written at the end of the run. */
    Path file() {
        return file;
    }

    @Override
    public void runStarted(RunInfo run) {
        Instant now = clock.instant();
        synchronized (lock) {
            startedAt = now;
        }
    }

    @Override
    public void approvalDecided(ApprovalRequest request, Approval approval) {
        Instant now = clock.instant();
        synchronized (lock) {
            approvals.add(new Decision(request.stage(), request.gate().name(), approval, now));
        }
    }

    @Override
    public void attached(String stage, Attachment attachment) {
        synchronized (lock) {
            attachments.add(new Attached(stage, attachment));
        }
    }

    /**
     * Writes the summary.
     *
     * @throws UncheckedIOException if the file cannot be written (the runner logs it; the run's
     *     outcome does not change)
     */
    @Override
    public void runFinished(RunResult result) {
        byte[] bytes;
        synchronized (lock) {
            Instant started = startedAt != null ? startedAt : clock.instant().minus(result.duration());
            bytes = encode(result, started, approvals, attachments);
        }
        try {
            ReportFiles.writeAtomically(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the run summary " + file + ": " + e, e);
        }
    }

    private static byte[] encode(RunResult result, Instant startedAt, List<Decision> approvals,
            List<Attached> attachments) {
        ObjectNode root = JSON.createObjectNode();
        root.put("runId", text(result.runId()));
        root.put("pipeline", text(result.pipeline()));
        root.put("status", result.status().name());
        root.put("message", text(result.message()));
        facts(root.putObject("facts"), result.facts());
        root.put("startedAt", instant(startedAt));
        root.put("durationMillis", result.duration().toMillis());
        ArrayNode stages = root.putArray("stages");
        result.stages().forEach(s -> stage(stages.addObject(), s));
        ArrayNode hooks = root.putArray("hooks");
        result.hooks().forEach(h -> stage(hooks.addObject(), h));
        ArrayNode decisions = root.putArray("approvals");
        for (Decision d : approvals) {
            ObjectNode n = decisions.addObject();
            n.put("stage", text(d.stage()));
            n.put("gate", text(d.gate()));
            n.put("approved", d.approval().approved());
            n.put("who", text(d.approval().who()));
            n.put("why", text(d.approval().why()));
            n.put("at", instant(d.at()));
        }
        ArrayNode attached = root.putArray("attachments");
        for (Attached a : attachments) {
            ObjectNode n = attached.addObject();
            n.put("stage", text(a.stage()));
            n.put("kind", a.attachment().kind().name());
            n.put("path", text(a.attachment().path().toString()));
        }
        try {
            String json = PRETTY.writeValueAsString(root) + "\n";
            return json.getBytes(UTF_8);
        } catch (JacksonException e) {
            // Cannot happen for a tree of strings and numbers with well-formed text.
            throw new IllegalStateException("Could not encode the run summary: " + e, e);
        }
    }

    private static void facts(ObjectNode n, Facts facts) {
        Optional<Ref> ref = facts.ref();
        n.put("branch", ref.filter(r -> r.kind() == Ref.Kind.BRANCH).map(Ref::name).map(JsonSummary::text)
                .orElse(null));
        n.put("tag", ref.filter(r -> r.kind() == Ref.Kind.TAG).map(Ref::name).map(JsonSummary::text).orElse(null));
        n.put("commit", text(facts.commit()));
        Optional<Set<String>> changed = facts.changedPaths();
        if (changed.isPresent()) {
            ArrayNode paths = n.putArray("changedPaths");
            new TreeSet<>(changed.get()).forEach(p -> paths.add(text(p)));
        } else {
            n.putNull("changedPaths");
        }
    }

    private static void stage(ObjectNode n, StageResult s) {
        n.put("name", text(s.stage()));
        n.put("outcome", s.outcome().name());
        n.put("attempts", s.attempts());
        if (s.exitCode().isPresent()) {
            n.put("exitCode", s.exitCode().getAsInt());
        } else {
            n.putNull("exitCode");
        }
        n.put("durationMillis", s.duration().toMillis());
        n.put("message", text(s.message()));
    }

    private static String instant(Instant at) {
        return at.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static String text(String text) {
        return ReportFiles.wellFormed(text);
    }

    private static @Nullable String text(Optional<String> text) {
        return text.map(JsonSummary::text).orElse(null);
    }
}
