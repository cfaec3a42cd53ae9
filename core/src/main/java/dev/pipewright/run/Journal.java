package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.pipewright.PipewrightException;
import dev.pipewright.run.JournalEvent.ApprovalDecided;
import dev.pipewright.run.JournalEvent.Facts;
import dev.pipewright.run.JournalEvent.Outcome;
import dev.pipewright.run.JournalEvent.RunFinished;
import dev.pipewright.run.JournalEvent.RunStarted;
import dev.pipewright.run.JournalEvent.RunStatus;
import dev.pipewright.run.JournalEvent.StageFinished;
import dev.pipewright.run.JournalEvent.StageStarted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A run's journal: the append-only file {@code <journalDir>/<runId>/journal.jsonl}, one {@link
 * JournalEvent} per line, from which {@code --resume} learns what a run did before it was killed.
 *
 * <pre>{@code
 * try (Journal journal = Journal.create(journalDir, masker)) {
 *     journal.append(new RunStarted(journal.runId(), "housing-api", PipelineDigest.of(pipeline), facts, now));
 *     journal.append(new StageStarted("test", 1, now));
 *     // only now start the stage's process
 * }
 * }</pre>
 *
 * <h2>Format</h2>
 *
 * <p>UTF-8 JSON lines, each a compact object ended by LF, its {@code type} first; times are
 * ISO-8601 instants, absent values {@code null}:
 *
 * <pre>{@code
 * {"type":"StageStarted","stage":"test","attempt":2,"at":"2026-11-26T10:15:55Z"}
 * {"type":"StageFinished","stage":"test","attempt":2,"outcome":"SUCCEEDED","exitCode":0,...,"message":null}
 * }</pre>
 *
 * <p>The types and their fields: {@code RunStarted} (runId, pipeline, digest, facts {branch, tag,
 * commit, changedPaths (absent when unknown)}, startedAt), {@code StageStarted} (stage, attempt, at), {@code StageFinished} (stage,
 * attempt, outcome, exitCode, durationMillis, at, message), {@code ApprovalDecided} (stage, gate,
 * approved, who, why, at) and {@code RunFinished} (status, at). Readers ignore fields they do not
 * know.
 *
 * <h2>Contract</h2>
 *
 * <p>The caller appends the event that announces a side effect (starting a stage, acting on an
 * approval, finishing the run), and performs the side effect only once {@link #append} has
 * returned: by then the line has been written and {@code fsync}'d. So every side effect that
 * happened is announced by a line that survives a crash of the process or of the machine; a line
 * whose side effect never came (a crash just after {@code append}) only makes a resume re-run
 * that stage. A stage that ended but whose {@code StageFinished} line was not yet durable is
 * re-run too: resuming is at-least-once per stage, not exactly-once.
 *
 * <p>{@link #append} is thread-safe: concurrent stages may append at once, and each line is
 * written whole, never interleaved with another. The first event must be the run's {@link
 * RunStarted}, and there is only one.
 *
 * <p>Free text is masked: the facts, a stage's message, an approval's who and why pass through
 * the {@code mask} given at construction (the secret masker) before they are written.
 * Identifiers (run id, pipeline, digest, stage and gate names) are written as they are: they come
 * from the pipeline's code, not from run-time values, and a resume matches them against the
 * pipeline, which a masked name would break.
 *
 * <h2>Durability, and its limits</h2>
 *
 * <ul>
 *   <li>Each line is written with one append-mode write loop, then {@link FileChannel#force
 *       force(true)} ({@code fsync}: data and metadata, the file's new length included) before
 *       {@link #append} returns.
 *   <li>Creating a journal {@code fsync}s the run folder once the file exists in it, and the
 *       journal folder once the run folder exists in it, so the file's and the folder's names
 *       survive a power loss too, not just the bytes. Where the platform cannot open a folder
 *       as a channel (Windows), this step is skipped: NTFS journals its folder entries itself.
 *   <li>Writes and {@code fsync}s run on the journal's own thread, which nothing interrupts: an
 *       interrupted caller (a cancelled stage) would otherwise close the channel for every
 *       thread. The caller waits without being interruptible and keeps its interrupt flag.
 *   <li>An I/O error while writing fails that append and every later one: after a failed {@code
 *       fsync} the kernel may have dropped the dirty pages, and a retry could report success for
 *       data that is gone. The run must stop.
 *   <li>Only the last line can be torn: appends are serialized and each waits for its {@code
 *       fsync}. {@link #read} ignores a torn last line and reports it; {@link #resume} cuts it
 *       off before appending.
 *   <li>Not covered: storage that acknowledges a flush it has not done (consumer drives with
 *       volatile write caches, some virtual disks), macOS, where {@code fsync} may leave data in
 *       the drive's cache (only {@code F_FULLFSYNC} flushes it), network file systems, and two
 *       processes resuming the same run at once (nothing locks the journal).
 * </ul>
 */
final class Journal implements AutoCloseable {
    /** The journal's file name inside its run folder. */
    static final String FILE_NAME = "journal.jsonl";
    /** What a run id looks like: its start time in UTC to the second, then 6 random hex digits. */
    static final Pattern RUN_ID = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{6}");

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final DateTimeFormatter RUN_ID_TIME =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Folder name collisions needing more tries than this mean something else is wrong. */
    private static final int RUN_ID_TRIES = 16;
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * Opens files and folders; tests substitute one that records the calls.
     */
    @FunctionalInterface
    interface Opener {
        /** Opens {@code path} as {@link FileChannel#open(Path, OpenOption...)} does. */
        FileChannel open(Path path, OpenOption... options) throws IOException;
    }

    private final String runId;
    private final Path file;
    private final FileChannel channel;
    private final UnaryOperator<String> mask;
    private final ExecutorService writer;
    private final Object lock = new Object();
    /** Whether the RunStarted line has been appended. Guarded by lock. */
    private boolean started;
    /** Guarded by lock. */
    private boolean closed;
    /** The I/O error that broke the journal; written by the writer thread, read by appenders. */
    private volatile @Nullable IOException failure;

    private Journal(String runId, Path file, FileChannel channel, UnaryOperator<String> mask, boolean started) {
        this.runId = runId;
        this.file = file;
        this.channel = channel;
        this.mask = mask;
        this.started = started;
        this.writer = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "pipewright-journal-" + runId);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the journal of a new run: makes a unique run folder under {@code journalDir}
     * (creating {@code journalDir} if needed) holding an empty journal, and {@code fsync}s both
     * folders. The first event to append is the run's {@link RunStarted}.
     *
     * @param journalDir where runs keep their journals
     * @param mask masks free text before it is written; must not return null
     * @throws UncheckedIOException if a folder or the file cannot be created
     */
    static Journal create(Path journalDir, UnaryOperator<String> mask) {
        return create(journalDir, mask, Clock.systemUTC(), FileChannel::open);
    }

    /** As {@link #create(Path, UnaryOperator)}, with the clock naming the run and the file opener. */
    static Journal create(Path journalDir, UnaryOperator<String> mask, Clock clock, Opener opener) {
        checkNotNull(journalDir, "journalDir");
        checkNotNull(mask, "mask");
        checkNotNull(clock, "clock");
        checkNotNull(opener, "opener");
        try {
            if (!Files.isDirectory(journalDir)) {
                Files.createDirectories(journalDir);
                Path parent = journalDir.toAbsolutePath().getParent();
                if (parent != null) {
                    forceDirectory(parent, opener);
                }
            }
            for (int tries = 1; ; tries++) {
                String runId = RUN_ID_TIME.format(clock.instant()) + "-"
                        + String.format("%06x", RANDOM.nextInt(1 << 24));
                Path runDir = journalDir.resolve(runId);
                try {
                    Files.createDirectory(runDir);
                } catch (FileAlreadyExistsException e) {
                    if (tries == RUN_ID_TRIES) {
                        throw e;
                    }
                    continue;
                }
                forceDirectory(journalDir, opener);
                Path file = runDir.resolve(FILE_NAME);
                FileChannel channel = opener.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
                try {
                    forceDirectory(runDir, opener);
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                return new Journal(runId, file, channel, mask, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a run journal in " + journalDir + ": "
                    + why(journalDir, e) + ". Give the runner a journal folder it can write to.", e);
        }
    }

    /** What went wrong, in words: the JDK's messages for these name a file and little more. */
    private static String why(Path journalDir, IOException e) {
        for (Path p = journalDir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    return p + " is a file, not a folder";
                }
                break;
            }
        }
        if (e instanceof AccessDeniedException a) {
            return "no permission to write " + a.getFile();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /**
     * Reopens run {@code runId}'s journal to append to it. If its last line is torn, it is cut off
     * first (and the cut {@code fsync}'d) so that appends stay whole lines. Read the journal and
     * check the pipeline's digest ({@link ResumeState#requireSamePipeline}) before: this method
     * changes the file.
     *
     * @throws IllegalArgumentException if {@code runId} is not a run id (see {@link #RUN_ID})
     * @throws PipewrightException if the run has no journal, or its journal is corrupt
     * @throws UncheckedIOException if the journal cannot be read, cut or opened
     */
    static Journal resume(Path journalDir, String runId, UnaryOperator<String> mask) {
        return resume(journalDir, runId, mask, FileChannel::open);
    }

    /** As {@link #resume(Path, String, UnaryOperator)}, with the file opener. */
    static Journal resume(Path journalDir, String runId, UnaryOperator<String> mask, Opener opener) {
        checkNotNull(mask, "mask");
        checkNotNull(opener, "opener");
        Path file = file(journalDir, runId);
        if (!Files.isRegularFile(file)) {
            throw new PipewrightException("Run " + runId + " has no journal: " + file + " does not exist. Runs in "
                    + journalDir + ": " + runIds(journalDir) + ". Resume one of them, or start a new run.");
        }
        Contents contents = read(file);
        try {
            if (contents.tornTail()) {
                LOG.warn("Journal {} ended with a line cut short by a crash ({} bytes at offset {}); removed it"
                        + " before resuming.", file, contents.length() - contents.validLength(),
                        contents.validLength());
                try (FileChannel truncating = opener.open(file, StandardOpenOption.WRITE)) {
                    truncating.truncate(contents.validLength());
                    truncating.force(true);
                }
            }
            FileChannel channel = opener.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            boolean started = contents.events().stream().anyMatch(RunStarted.class::isInstance);
            return new Journal(runId, file, channel, mask, started);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not reopen the journal " + file + ": " + e, e);
        }
    }

    /**
     * Where run {@code runId}'s journal is under {@code journalDir}.
     *
     * @throws IllegalArgumentException if {@code runId} is not a run id, such as {@code ../x}
     */
    static Path file(Path journalDir, String runId) {
        checkNotNull(journalDir, "journalDir");
        checkNotNull(runId, "runId");
        checkArgument(RUN_ID.matcher(runId).matches(),
                "a run id looks like 20261126T101500Z-1a2b3c but '%s' was given", runId);
        return journalDir.resolve(runId).resolve(FILE_NAME);
    }

    /** The run's id: sortable by start time (to the second), unique within its journal folder. */
    String runId() {
        return runId;
    }

    /** The journal file. */
    Path file() {
        return file;
    }

    /**
     * Appends {@code event} as one line, and returns once it is written and {@code fsync}'d: only
     * then may the caller perform the side effect the event announces. Thread-safe; waits without
     * being interrupted, keeping the caller's interrupt flag.
     *
     * @throws IllegalArgumentException if {@code event} is a {@link RunStarted} of another run
     * @throws IllegalStateException if the journal is closed or broken by an earlier I/O error, if
     *     the first event is not the {@link RunStarted}, or if a second {@link RunStarted} is given
     * @throws UncheckedIOException if the line cannot be written or {@code fsync}'d; the journal is
     *     then broken and the run must stop
     */
    void append(JournalEvent event) {
        checkNotNull(event, "event");
        ByteBuffer line = ByteBuffer.wrap(encode(event, mask));
        Future<?> written;
        synchronized (lock) {
            checkState(!closed, "The journal %s is closed.", file);
            checkUsable();
            if (event instanceof RunStarted r) {
                checkState(!started, "Run %s has started already: a journal holds one RunStarted.", runId);
                checkArgument(r.runId().equals(runId), "this is the journal of run %s, not of run %s", runId,
                        r.runId());
                started = true;
            } else {
                checkState(started, "The journal of run %s has no RunStarted: append it first, not %s.", runId,
                        typeOf(event));
            }
            // Submitted under the lock: the writer thread takes tasks in order, so lines are in
            // the order appends passed this point.
            written = writer.submit(() -> {
                checkUsable();
                try {
                    while (line.hasRemaining()) {
                        channel.write(line);
                    }
                    channel.force(true);
                } catch (IOException e) {
                    failure = e;
                    throw e;
                }
                return null;
            });
        }
        try {
            Uninterruptibles.getUninterruptibly(written);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new UncheckedIOException("Could not record " + typeOf(event) + " in the journal " + file
                        + "; stop the run, the journal takes no more events: " + io, io);
            }
            if (cause instanceof IllegalStateException broken) {
                throw new IllegalStateException(broken.getMessage(), broken);
            }
            throw new IllegalStateException("The journal " + file + " failed: " + cause, cause);
        }
    }

    private void checkUsable() {
        IOException broken = failure;
        if (broken != null) {
            throw new IllegalStateException("The journal " + file + " takes no more events: an earlier write failed ("
                    + broken + "), so what it holds may not be on disk.", broken);
        }
    }

    /**
     * Waits for appends in progress, then closes the file. Idempotent.
     *
     * @throws UncheckedIOException if the file cannot be closed
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        writer.shutdown();
        boolean terminated = false;
        while (!terminated) {
            terminated = Uninterruptibles.awaitTerminationUninterruptibly(writer, 1, TimeUnit.MINUTES);
        }
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not close the journal " + file + ": " + e, e);
        }
    }

    /**
     * Reads a journal. A torn last line, cut short by a crash (no LF, or not UTF-8 JSON), is left
     * out of the events and reported by {@link Contents#tornTail()}; any other line that is not an
     * event is corruption, and so is a last line that is JSON but not an event. Reads the whole
     * file into memory: journals hold a few events per stage.
     *
     * @throws PipewrightException if a line other than the last is not an event, naming the file
     *     and the line
     * @throws UncheckedIOException if the file cannot be read
     */
    static Contents read(Path file) {
        checkNotNull(file, "file");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the journal " + file + ": " + e, e);
        }
        List<JournalEvent> events = new ArrayList<>();
        int start = 0;
        int lineNumber = 1;
        while (start < bytes.length) {
            int end = indexOf(bytes, (byte) '\n', start);
            if (end < 0) {
                break; // no LF: the write that made this line never completed, so append never returned
            }
            try {
                events.add(decode(bytes, start, end));
            } catch (MalformedLineException e) {
                if (end == bytes.length - 1 && e.unreadable) {
                    // A last line that is not even JSON: file systems can leave zeros, or bytes out of
                    // order, where a write was torn. A whole JSON object is no torn write, though.
                    break;
                }
                throw new PipewrightException("The journal " + file + " is corrupt at line " + lineNumber + ": "
                        + e.getMessage() + ". A crash can only tear the last line, so the file was damaged or"
                        + " edited; the run cannot be resumed. Move the journal aside and start a new run.", e);
            }
            start = end + 1;
            lineNumber++;
        }
        return new Contents(file, events, start, bytes.length);
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * What a journal holds.
     *
     * @param file the journal read
     * @param events the events of its whole lines, in order
     * @param validLength how many bytes the whole lines take: the offset where a torn tail starts
     * @param length the file's length
     */
    record Contents(Path file, List<JournalEvent> events, long validLength, long length) {
        /**
         * Copies the events.
         *
         * @throws NullPointerException if the file or the events are or hold null
         */
        Contents {
            checkNotNull(file, "file");
            events = List.copyOf(events);
            checkArgument(0 <= validLength && validLength <= length, "validLength %s must be in [0, %s]", validLength,
                    length);
        }

        /** Whether the file ends with a torn line, from {@link #validLength()} to its end. */
        boolean tornTail() {
            return validLength < length;
        }
    }

    private static String runIds(Path journalDir) {
        try (Stream<Path> runs = Files.list(journalDir)) {
            List<String> ids = runs.map(p -> p.getFileName().toString()).filter(n -> RUN_ID.matcher(n).matches())
                    .sorted().toList();
            return ids.isEmpty() ? "none" : String.join(", ", ids);
        } catch (IOException e) {
            return "unknown (" + e + ")";
        }
    }

    /**
     * Makes {@code dir}'s entries durable. Linux and macOS allow opening a folder for reading and
     * {@code fsync}ing it; Windows refuses to open a folder as a channel, and needs not: NTFS
     * journals folder entries.
     */
    private static void forceDirectory(Path dir, Opener opener) throws IOException {
        FileChannel channel;
        try {
            channel = opener.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot open folder {} to fsync it on this platform ({}); relying on the file system.", dir,
                    e.toString());
            return;
        }
        try (channel) {
            channel.force(true);
        }
    }

    // The codec. Type names are spelled out so that renaming a record cannot change the format.

    private static String typeOf(JournalEvent event) {
        if (event instanceof RunStarted) {
            return "RunStarted";
        } else if (event instanceof StageStarted) {
            return "StageStarted";
        } else if (event instanceof StageFinished) {
            return "StageFinished";
        } else if (event instanceof ApprovalDecided) {
            return "ApprovalDecided";
        } else if (event instanceof RunFinished) {
            return "RunFinished";
        }
        throw new AssertionError("unknown event " + event);
    }

    /** The line for {@code event}, LF included, its free text masked. */
    private static @Nullable List<String> changedPaths(JsonNode facts) {
        JsonNode paths = facts.get("changedPaths");
        if (paths == null || paths.isNull()) {
            return null;
        }
        if (!paths.isArray()) {
            throw new MalformedLineException("'facts.changedPaths' must be an array of strings", null);
        }
        List<String> list = new ArrayList<>();
        for (JsonNode p : paths) {
            if (!p.isString()) {
                throw new MalformedLineException("'facts.changedPaths' must be an array of strings", null);
            }
            list.add(p.asString());
        }
        return list;
    }

    private static byte[] encode(JournalEvent event, UnaryOperator<String> mask) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", typeOf(event));
        if (event instanceof RunStarted e) {
            n.put("runId", e.runId());
            n.put("pipeline", e.pipeline());
            n.put("digest", e.digest());
            ObjectNode facts = n.putObject("facts");
            text(facts, "branch", masked(e.facts().branch(), mask));
            text(facts, "tag", masked(e.facts().tag(), mask));
            text(facts, "commit", masked(e.facts().commit(), mask));
            if (e.facts().changedPaths() != null) {
                ArrayNode paths = facts.putArray("changedPaths");
                e.facts().changedPaths().forEach(path -> paths.add(mask.apply(path)));
            }
            n.put("startedAt", e.startedAt().toString());
        } else if (event instanceof StageStarted e) {
            n.put("stage", e.stage());
            n.put("attempt", e.attempt());
            n.put("at", e.at().toString());
        } else if (event instanceof StageFinished e) {
            n.put("stage", e.stage());
            n.put("attempt", e.attempt());
            n.put("outcome", e.outcome().name());
            n.put("exitCode", e.exitCode());
            n.put("durationMillis", e.durationMillis());
            n.put("at", e.at().toString());
            text(n, "message", masked(e.message(), mask));
        } else if (event instanceof ApprovalDecided e) {
            n.put("stage", e.stage());
            n.put("gate", e.gate());
            n.put("approved", e.approved());
            text(n, "who", masked(e.who(), mask));
            text(n, "why", masked(e.why(), mask));
            n.put("at", e.at().toString());
        } else if (event instanceof RunFinished e) {
            n.put("status", e.status().name());
            n.put("at", e.at().toString());
        }
        byte[] json = JSON.writeValueAsBytes(n);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    private static @Nullable String masked(@Nullable String text, UnaryOperator<String> mask) {
        return text == null ? null : checkNotNull(mask.apply(text), "the mask returned null");
    }

    private static void text(ObjectNode n, String field, @Nullable String value) {
        if (value == null) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }

    /** Thrown by the decoder, and caught by {@link #read}, when a line is not an event. */
    private static final class MalformedLineException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** Whether the line is not even UTF-8 JSON, as a torn write leaves it, rather than a wrong event. */
        final boolean unreadable;

        MalformedLineException(String message, @Nullable Throwable cause) {
            this(message, cause, false);
        }

        MalformedLineException(String message, @Nullable Throwable cause, boolean unreadable) {
            super(message, cause);
            this.unreadable = unreadable;
        }
    }

    private static JournalEvent decode(byte[] bytes, int start, int end) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, end - start))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedLineException("not UTF-8", e, true);
        }
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null || !n.isObject()) {
                throw new MalformedLineException("not a JSON object", null, n == null || n.isMissingNode());
            }
            String type = string(n, "type");
            switch (type) {
                case "RunStarted": {
                    JsonNode facts = n.get("facts");
                    if (facts == null || !facts.isObject()) {
                        throw new MalformedLineException("'facts' must be an object", null);
                    }
                    return new RunStarted(string(n, "runId"), string(n, "pipeline"), string(n, "digest"),
                            new Facts(nullableString(facts, "branch"), nullableString(facts, "tag"),
                                    nullableString(facts, "commit"), changedPaths(facts)),
                            instant(n, "startedAt"));
                }
                case "StageStarted":
                    return new StageStarted(string(n, "stage"), integer(n, "attempt"), instant(n, "at"));
                case "StageFinished":
                    return new StageFinished(string(n, "stage"), integer(n, "attempt"),
                            constant(Outcome.class, n, "outcome"), nullableInteger(n, "exitCode"),
                            longInteger(n, "durationMillis"), instant(n, "at"), nullableString(n, "message"));
                case "ApprovalDecided":
                    return new ApprovalDecided(string(n, "stage"), string(n, "gate"), bool(n, "approved"),
                            string(n, "who"), nullableString(n, "why"), instant(n, "at"));
                case "RunFinished":
                    return new RunFinished(constant(RunStatus.class, n, "status"), instant(n, "at"));
                default:
                    throw new MalformedLineException("unknown event type '" + type
                            + "' (written by a newer Pipewright?)", null);
            }
        } catch (JacksonException e) {
            throw new MalformedLineException("not JSON (" + e.getOriginalMessage() + ")", e, true);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedLineException("not a valid event (" + e.getMessage() + ")", e);
        }
    }

    private static JsonNode field(JsonNode n, String field, String expected) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new MalformedLineException("'" + field + "' is missing; expected " + expected, null);
        }
        return v;
    }

    private static String string(JsonNode n, String field) {
        JsonNode v = field(n, field, "a string");
        if (!v.isString()) {
            throw new MalformedLineException("'" + field + "' must be a string but was " + v, null);
        }
        return v.stringValue();
    }

    private static @Nullable String nullableString(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : string(n, field);
    }

    private static int integer(JsonNode n, String field) {
        JsonNode v = field(n, field, "a whole number");
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new MalformedLineException("'" + field + "' must be a whole number but was " + v, null);
        }
        return v.intValue();
    }

    private static @Nullable Integer nullableInteger(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : integer(n, field);
    }

    private static long longInteger(JsonNode n, String field) {
        JsonNode v = field(n, field, "a whole number");
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new MalformedLineException("'" + field + "' must be a whole number but was " + v, null);
        }
        return v.longValue();
    }

    private static boolean bool(JsonNode n, String field) {
        JsonNode v = field(n, field, "true or false");
        if (!v.isBoolean()) {
            throw new MalformedLineException("'" + field + "' must be true or false but was " + v, null);
        }
        return v.booleanValue();
    }

    private static Instant instant(JsonNode n, String field) {
        String text = string(n, field);
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            throw new MalformedLineException("'" + field + "' must be an ISO-8601 instant but was '" + text + "'", e);
        }
    }

    private static <E extends Enum<E>> E constant(Class<E> type, JsonNode n, String field)
            {
        String text = string(n, field);
        try {
            return Enum.valueOf(type, text);
        } catch (IllegalArgumentException e) {
            throw new MalformedLineException("'" + field + "' must be one of "
                    + Arrays.toString(type.getEnumConstants()) + " but was '" + text + "'", e);
        }
    }
}
