package dev.pipewright.run;

import dev.pipewright.PipewrightException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock that lets one run at a time on this machine deploy to an environment: the file
 * {@code <locks>/<pipeline>/<environment>.lock}, created exclusively, holding its owner's process
 * id, the process's start time and the run id.
 *
 * <p>A lock is broken when its owner is gone: no process has its pid, or the process with that
 * pid started at another time (the pid was reused). Checking and breaking happen while holding an
 * OS lock on {@code <locks>/.guard} (and a JVM-wide monitor, since one JVM cannot hold two OS
 * locks on a file), so two runners cannot both break a stale lock and both take it. A runner
 * that is killed leaves its lock file behind; the next runner breaks it.
 */
final class EnvironmentLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnvironmentLock.class);
    private static final Object GUARD = new Object();

    private final Path file;
    private final String content;

    private EnvironmentLock(Path file, String content) {
        this.file = file;
        this.content = content;
    }

    /**
     * Takes the lock of {@code environment}, or says who holds it.
     *
     * @throws PipewrightException naming the holder's run and process if another living run holds it
     * @throws UncheckedIOException if the lock folder cannot be written
     */
    static EnvironmentLock acquire(Path locks, String pipeline, String environment, String runId) {
        Path folder = locks.resolve(pipeline);
        Path file = folder.resolve(environment + ".lock");
        ProcessHandle self = ProcessHandle.current();
        String content = self.pid() + " " + startOf(self).map(Instant::toString).orElse("-") + " " + runId + "\n";
        synchronized (GUARD) {
            try {
                Files.createDirectories(folder);
                try (FileChannel guard = FileChannel.open(locks.resolve(".guard"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                        FileLock held = guard.lock()) {
                    for (int tries = 0; tries < 2; tries++) {
                        try {
                            Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                            return new EnvironmentLock(file, content);
                        } catch (FileAlreadyExistsException e) {
                            String holder = read(file);
                            if (holder != null && alive(holder)) {
                                throw new PipewrightException("Environment '" + environment + "' of pipeline '"
                                        + pipeline + "' is being deployed by " + describe(holder) + " (lock " + file
                                        + "). Wait for that run to end; a lock whose process has ended is broken"
                                        + " by the next run.");
                            }
                            LOG.warn("Breaking the lock of environment '{}': its owner ({}) is gone", environment,
                                    holder == null ? "unreadable" : describe(holder));
                            Files.deleteIfExists(file);
                        }
                    }
                    throw new PipewrightException("Could not take the lock " + file + " of environment '"
                            + environment + "': it keeps coming back. Is another tool writing it?");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not take the lock of environment '" + environment + "' in "
                        + folder + ": " + e.getMessage(), e);
            }
        }
    }

    /** Releases the lock, if this run still holds it. */
    @Override
    public void close() {
        synchronized (GUARD) {
            try {
                if (content.equals(read(file))) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                LOG.error("Could not release the environment lock {}; the next run will break it: {}", file,
                        e.toString());
            }
        }
    }

    private static @Nullable String read(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Whether the process a lock names is still the one that took it. */
    static boolean alive(String holder) {
        String[] parts = holder.strip().split(" ");
        if (parts.length < 3) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = startOf(process.get());
        return parts[1].equals("-") || started.isEmpty() || started.get().toString().equals(parts[1]);
    }

    private static Optional<Instant> startOf(ProcessHandle process) {
        return process.info().startInstant();
    }

    private static String describe(String holder) {
        String[] parts = holder.strip().split(" ");
        return parts.length < 3 ? "an unknown run" : "run " + parts[2] + " (process " + parts[0] + ", started "
                + parts[1] + ")";
    }
}
