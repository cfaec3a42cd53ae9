package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.util.concurrent.Uninterruptibles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standard streams of a running command, served by one platform thread named
 * {@code pipewright-out-<stage>} while it serves them: it writes the script to the shell's
 * standard input (nothing, for a program run without a shell) and closes it, then reads the
 * merged standard output and error to the end, handing lines to the sink. The command's thread
 * waits for the process's exit itself, not for this one: the JDK's reaper wakes it directly.
 *
 * <p>The threads come from a pool shared by every command of the JVM, as the JDK's own process
 * reaper threads do, and are named {@code pipewright-reader} while idle; one left idle for a
 * minute ends. Starting a thread for each command would cost about as much as running a command
 * as short as {@code true}.
 *
 * <p>Feeding the script from the same thread that reads keeps the calling thread free to enforce
 * the timeout and to cancel even if a misconfigured shell never reads its input: stopping the
 * tree breaks the pipe and the thread goes on to read.
 *
 * <p>The sink is called on that thread only, one line at a time, in output order. If it throws,
 * the line and all later ones are dropped, the failure is kept for {@link #failure()} and
 * {@code onSinkFailure} runs; the thread keeps draining the output so the child never blocks on
 * a full pipe.
 */
final class ProcessStreams {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessStreams.class);
    /** How long a read may block, once the tree is gone, before a process outside it is blamed. */
    private static final Duration HELD_OPEN = Duration.ofSeconds(2);
    private static final long NOT_BLOCKED = Long.MIN_VALUE;
    private static final String IDLE = "pipewright-reader";
    private static final ExecutorService READERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, IDLE);
        thread.setDaemon(true);
        return thread;
    });

    private final String stage;
    private final Process process;
    private final byte[] script;
    private final Consumer<String> sink;
    private final Runnable onSinkFailure;
    private final OutputLines lines;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Object delivery = new Object();
    private boolean closed; // guarded by delivery
    private volatile @Nullable RuntimeException failure;
    private volatile long blockedSince = NOT_BLOCKED;

    private ProcessStreams(String stage, Process process, byte[] script, String prefix, Consumer<String> sink,
            Runnable onSinkFailure) {
        this.stage = stage;
        this.process = process;
        this.script = script;
        this.sink = sink;
        this.onSinkFailure = onSinkFailure;
        this.lines = new OutputLines(prefix, OutputLines.MAX_LINE_BYTES, this::deliver);
    }

    /**
     * Starts serving {@code process}'s streams: {@code script} to its standard input, an empty
     * array to just close it.
     */
    static ProcessStreams start(String stage, Process process, byte[] script, String prefix,
            Consumer<String> sink, Runnable onSinkFailure) {
        ProcessStreams streams = new ProcessStreams(checkNotNull(stage, "stage"), checkNotNull(process, "process"),
                checkNotNull(script, "script"), checkNotNull(prefix, "prefix"), checkNotNull(sink, "sink"),
                checkNotNull(onSinkFailure, "onSinkFailure"));
        READERS.execute(streams::run);
        return streams;
    }

    /**
     * Waits, after the command's tree is gone, until every line was handed over. A read that stays
     * blocked for two seconds means a process outside the tree (one that left the session and
     * whose parent exited) still holds the output open: then the sink is closed, so that no line
     * reaches it after this returns, and the thread is left to end when that process does. Not
     * interruptible; an interrupt is kept.
     */
    void awaitEnd() {
        long waitStart = System.nanoTime();
        while (true) {
            if (Uninterruptibles.awaitUninterruptibly(ended, 20, TimeUnit.MILLISECONDS)) {
                return;
            }
            long since = blockedSince;
            // A read blocked since long before the tree went (a quiet build) only counts from now.
            long from = since - waitStart > 0 ? since : waitStart;
            if (since != NOT_BLOCKED && System.nanoTime() - from > HELD_OPEN.toNanos()) {
                synchronized (delivery) {
                    closed = true;
                }
                LOG.warn("Stage '{}': a process outside the command's process tree keeps its output open;"
                        + " its further output is discarded", stage);
                return;
            }
        }
    }

    /** What the sink threw, if it did. */
    @Nullable RuntimeException failure() {
        return failure;
    }

    private void run() {
        Thread thread = Thread.currentThread();
        thread.setName("pipewright-out-" + stage);
        try {
            feed();
            read();
        } finally {
            thread.setName(IDLE);
            ended.countDown();
        }
    }

    private void feed() {
        try (OutputStream in = process.getOutputStream()) {
            blockedSince = System.nanoTime();
            in.write(script);
        } catch (IOException e) {
            // The shell ended, or was stopped, before reading all of it: its exit status tells why.
            LOG.debug("Stage '{}': the shell did not read the whole script: {}", stage, e.toString());
        } finally {
            blockedSince = NOT_BLOCKED;
        }
    }

    private void read() {
        byte[] buffer = new byte[8192];
        try (InputStream out = process.getInputStream()) {
            while (true) {
                blockedSince = System.nanoTime();
                int n = out.read(buffer);
                blockedSince = NOT_BLOCKED;
                if (n < 0) {
                    break;
                }
                lines.write(buffer, 0, n);
            }
        } catch (IOException e) {
            LOG.debug("Stage '{}': reading the command's output ended early: {}", stage, e.toString());
        } finally {
            blockedSince = NOT_BLOCKED;
        }
        lines.finish();
    }

    private void deliver(String line) {
        synchronized (delivery) {
            if (closed) {
                return;
            }
            try {
                sink.accept(line);
            } catch (RuntimeException e) {
                closed = true;
                failure = e;
                onSinkFailure.run();
            }
        }
    }
}
