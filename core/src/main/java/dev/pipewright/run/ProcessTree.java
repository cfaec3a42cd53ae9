package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.util.concurrent.Uninterruptibles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes a command started, found again each time they are needed, and stopped together.
 *
 * <p>The tree holds the command's shell while it lives, every descendant of it, every process
 * seen in the tree before (a child that left the session is still followed) with its descendants
 * and, on Linux when the shell leads its own session, every process of that session. The session
 * is what finds orphans: a grandchild whose parent exited is re-parented to init (or a
 * sub-reaper), so it is no descendant any more, but it keeps its session id unless it calls
 * {@code setsid} itself. A session id cannot be reused while any process still has it, so
 * matching on it never reaches another command's processes. Zombies count as gone: they are dead
 * and only wait for whoever reaps them (some container inits never do).
 *
 * <p>Not thread-safe: the thread running the command uses it.
 */
final class ProcessTree {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessTree.class);
    private static final Path PROC = Path.of("/proc");
    private static final boolean HAS_PROC = Files.isDirectory(PROC.resolve("self"));
    private static final Duration POLL = Duration.ofMillis(20);
    /** How long to keep sending KILL to processes that do not die (uninterruptible sleep). */
    private static final Duration KILL_LIMIT = Duration.ofSeconds(2);

    private final ProcessHandle root;
    private final long session;
    private final Set<ProcessHandle> known = new LinkedHashSet<>();

    private ProcessTree(ProcessHandle root, long session) {
        this.root = checkNotNull(root, "root");
        this.session = session;
    }

    /**
     * The tree of {@code root}, a shell started through {@code setsid}: its session id is its
     * process id.
     */
    static ProcessTree sessionOf(ProcessHandle root) {
        return new ProcessTree(root, HAS_PROC ? root.pid() : 0);
    }

    /** The tree of {@code root} found through descendants only, when it shares the JVM's session. */
    static ProcessTree descendantsOf(ProcessHandle root) {
        return new ProcessTree(root, 0);
    }

    /** The processes of the tree still alive, the shell first when it is. */
    List<ProcessHandle> members() {
        Set<ProcessHandle> found = HAS_PROC ? scanProc() : scanHandles();
        found.remove(ProcessHandle.current());
        known.clear();
        known.addAll(found);
        return List.copyOf(found);
    }

    /**
     * Stops every process of the tree: TERM to all, then, once {@code grace} has passed or
     * {@code forced} has completed, KILL to those left. Processes that appear meanwhile are sent
     * TERM too. Returns once none is left, or after trying KILL for two seconds (a process in
     * uninterruptible sleep cannot die sooner). An interrupt ends the grace period at once and is
     * kept.
     */
    void stop(Duration grace, Future<?> forced) {
        List<ProcessHandle> left = members();
        if (left.isEmpty()) {
            return;
        }
        Set<ProcessHandle> termed = new HashSet<>(left);
        left.forEach(ProcessHandle::destroy);
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.NANOSECONDS.convert(grace);
        while (!forced.isDone()) {
            long wait = Math.min(deadline - System.nanoTime(), POLL.toNanos());
            if (wait <= 0) {
                break;
            }
            try {
                forced.get(wait, TimeUnit.NANOSECONDS);
                break;
            } catch (TimeoutException e) {
                left = members();
                if (left.isEmpty()) {
                    return;
                }
                left.stream().filter(termed::add).forEach(ProcessHandle::destroy);
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            } catch (ExecutionException e) {
                break;
            }
        }
        kill();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void kill() {
        long deadline = System.nanoTime() + KILL_LIMIT.toNanos();
        for (List<ProcessHandle> left = members(); !left.isEmpty(); left = members()) {
            if (System.nanoTime() - deadline > 0) {
                LOG.warn("{} processes survived SIGKILL for {}; giving up on them: {}", left.size(), KILL_LIMIT,
                        left.stream().map(ProcessHandle::pid).toList());
                return;
            }
            left.forEach(ProcessHandle::destroyForcibly);
            Uninterruptibles.sleepUninterruptibly(5, TimeUnit.MILLISECONDS);
        }
    }

    /** Members through the JDK, where there is no /proc: no session, so orphans are not found. */
    private Set<ProcessHandle> scanHandles() {
        Set<ProcessHandle> found = new LinkedHashSet<>();
        if (root.isAlive()) {
            found.add(root);
            root.descendants().forEach(found::add);
        }
        for (ProcessHandle h : known) {
            if (h.isAlive()) {
                found.add(h);
                h.descendants().forEach(found::add);
            }
        }
        return found;
    }

    /** Members from one pass over /proc: session, known processes, then their descendants. */
    private Set<ProcessHandle> scanProc() {
        Map<Long, Stat> all = new HashMap<>();
        Map<Long, List<Long>> children = new HashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(PROC, ProcessTree::isPidDirectory)) {
            for (Path p : dir) {
                stat(p).ifPresent(s -> {
                    all.put(s.pid(), s);
                    children.computeIfAbsent(s.parent(), k -> new ArrayList<>()).add(s.pid());
                });
            }
        } catch (IOException e) {
            LOG.debug("Cannot list {}; finding the command's processes through the JDK: {}", PROC, e.toString());
            return scanHandles();
        }
        Set<Long> pids = new LinkedHashSet<>();
        if (root.isAlive()) {
            pids.add(root.pid());
        }
        for (ProcessHandle h : known) {
            if (h.isAlive()) {
                pids.add(h.pid());
            }
        }
        if (session != 0) {
            all.values().stream().filter(s -> s.session() == session).forEach(s -> pids.add(s.pid()));
        }
        Deque<Long> todo = new ArrayDeque<>(pids);
        while (!todo.isEmpty()) {
            for (long child : children.getOrDefault(todo.pop(), List.of())) {
                if (pids.add(child)) {
                    todo.push(child);
                }
            }
        }
        Set<ProcessHandle> found = new LinkedHashSet<>();
        for (long pid : pids) {
            Stat s = all.get(pid);
            if (s != null && s.state() != 'Z') {
                ProcessHandle.of(pid).ifPresent(found::add);
            }
        }
        return found;
    }

    private static boolean isPidDirectory(Path p) {
        String name = p.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * Reads {@code /proc/<pid>/stat}: {@code pid (comm) state ppid pgrp session ...}. The command
     * name may hold spaces and parentheses, so fields are counted from the last ')'.
     */
    private static Optional<Stat> stat(Path dir) {
        String text;
        try {
            text = Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return Optional.empty(); // it exited while we looked
        }
        int end = text.lastIndexOf(')');
        if (end < 0 || end + 2 >= text.length()) {
            return Optional.empty();
        }
        String[] fields = text.substring(end + 2).split(" ", 5);
        if (fields.length < 5 || fields[0].isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Stat(Long.parseLong(dir.getFileName().toString()), fields[0].charAt(0),
                    Long.parseLong(fields[1]), Long.parseLong(fields[3])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private record Stat(long pid, char state, long parent, long session) {}
}
