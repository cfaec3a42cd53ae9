package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.util.concurrent.Uninterruptibles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes a command started, found again each time they are needed, and stopped together.
 *
 * <p>The tree holds the command's root process (its shell, or its program when it runs without
 * one) while it lives, every descendant of it, every process seen in the tree before (a child
 * that left is still followed) with its descendants, and, on Linux: every process whose initial
 * environment holds the command's marker, {@code PIPEWRIGHT_PROCESS_TREE=<token>}, a token
 * unique to one run of one command that every process of the command inherits; and, when the
 * root leads its own session ({@code setsid}), every process of that session. Marker and
 * session are what find orphans: a grandchild whose parent exited is re-parented to init (or a
 * sub-reaper), so it is no descendant any more, but it keeps the environment it was started with
 * unless it replaced it, and its session unless it called {@code setsid}. Neither can be taken
 * over by another command's processes: a token is never reused, nor is a session id while any
 * process has it. Zombies count as gone: they are dead and only wait for whoever reaps them (some
 * container inits never do).
 *
 * <p><b>Cost.</b> A scan lists /proc and reads the {@code stat} and {@code environ} files only of
 * processes created after the root: pids after the root's and up to the last one the kernel
 * handed out ({@code /proc/sys/kernel/ns_last_pid}), the range wrapping around at
 * {@code pid_max}. So a command that started nothing costs a listing and a couple of reads,
 * whatever else runs on the machine. If the kernel handed out every pid once more while the
 * command ran (pid_max new processes, 32768 on some machines), a process started after the pids
 * came around past the root's is found only while it descends from a member found otherwise.
 * Without a readable ns_last_pid every process is looked at.
 *
 * <p>Not thread-safe: the thread running the command uses it.
 */
final class ProcessTree {
    /** The environment variable holding a command's marker; see the class comment. */
    static final String MARKER_VARIABLE = "PIPEWRIGHT_PROCESS_TREE";
    private static final Logger LOG = LoggerFactory.getLogger(ProcessTree.class);
    private static final File PROC = new File("/proc");
    private static final Path LAST_PID = Path.of("/proc/sys/kernel/ns_last_pid");
    private static final boolean HAS_PROC = new File(PROC, "self").isDirectory();
    private static final Duration POLL = Duration.ofMillis(20);
    /** How long to keep sending KILL to processes that do not die (uninterruptible sleep). */
    private static final Duration KILL_LIMIT = Duration.ofSeconds(2);

    private final ProcessHandle root;
    private final long session;
    /** {@code NAME=token} as it appears, NUL-terminated, in /proc/<pid>/environ. */
    private final byte[] marker;
    private final Set<ProcessHandle> known = new LinkedHashSet<>();

    private ProcessTree(ProcessHandle root, long session, String marker) {
        this.root = checkNotNull(root, "root");
        this.session = session;
        this.marker = (MARKER_VARIABLE + "=" + checkNotNull(marker, "marker")).getBytes(StandardCharsets.UTF_8);
    }

    /** A new marker value: 128 random bits, so no two runs of a command share one. */
    static String newMarker() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong()
                | Long.MIN_VALUE);
    }

    /**
     * The tree of {@code root}, a shell started through {@code setsid} (its session id is its
     * process id) with {@code marker} in its environment.
     */
    static ProcessTree sessionOf(ProcessHandle root, String marker) {
        return new ProcessTree(root, HAS_PROC ? root.pid() : 0, marker);
    }

    /**
     * The tree of {@code root}, started with {@code marker} in its environment in the JVM's
     * session: found through descendants and the marker.
     */
    static ProcessTree descendantsOf(ProcessHandle root, String marker) {
        return new ProcessTree(root, 0, marker);
    }

    /** The processes of the tree still alive, the root first when it is. */
    List<ProcessHandle> members() {
        Set<ProcessHandle> found = HAS_PROC ? scanProc() : null;
        if (found == null) {
            found = scanHandles();
        }
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

    /** Members through the JDK, where there is no /proc: no session nor marker, so orphans are not found. */
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

    /**
     * Members from one pass over /proc: the root, known processes, the session and the marked
     * among processes created after the root, then their descendants; {@code null} if /proc cannot
     * be listed.
     */
    private @Nullable Set<ProcessHandle> scanProc() {
        String[] names = PROC.list();
        if (names == null) {
            LOG.debug("Cannot list {}; finding the command's processes through the JDK", PROC);
            return null;
        }
        long last = lastPid(); // after the listing: every pid listed was handed out by then
        long rootPid = root.isAlive() ? root.pid() : -1;
        Set<Long> alive = new HashSet<>();
        for (ProcessHandle h : known) {
            if (h.isAlive()) {
                alive.add(h.pid());
            }
        }
        Map<Long, Stat> all = new HashMap<>();
        Map<Long, List<Long>> children = new HashMap<>();
        Set<Long> pids = new LinkedHashSet<>();
        for (String name : names) {
            long pid = pid(name);
            boolean followed = pid == rootPid || alive.contains(pid);
            if (pid <= 0 || !followed && !createdAfter(pid, root.pid(), last)) {
                continue;
            }
            Stat s = stat(name);
            if (s == null) {
                continue; // it exited while we looked
            }
            all.put(pid, s);
            children.computeIfAbsent(s.parent(), k -> new ArrayList<>(2)).add(pid);
            if (followed || session != 0 && s.session() == session || s.state() != 'Z' && marked(name)) {
                pids.add(pid);
            }
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

    /**
     * Whether {@code pid} was handed out after {@code root}'s: after it and up to {@code last},
     * wrapping around; any pid when {@code last} is unknown.
     */
    static boolean createdAfter(long pid, long root, long last) {
        if (last < 0) {
            return true;
        }
        return last >= root ? pid > root && pid <= last : pid > root || pid <= last;
    }

    /** The last pid the kernel handed out in this pid namespace, or -1 if unknown. */
    private static long lastPid() {
        try {
            return Long.parseLong(Files.readString(LAST_PID, StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** The pid a /proc entry names, or -1 if it names none. */
    private static long pid(String name) {
        long pid = 0;
        int n = name.length();
        if (n == 0 || n > 18) {
            return -1;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            pid = pid * 10 + (c - '0');
        }
        return pid;
    }

    /**
     * Whether the process's initial environment holds the marker. Unreadable (another user's
     * process, or gone) counts as no.
     */
    private boolean marked(String pid) {
        byte[] env;
        try {
            env = Files.readAllBytes(Path.of("/proc", pid, "environ"));
        } catch (IOException e) {
            return false;
        }
        int last = env.length - marker.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (i > 0 && env[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < marker.length; j++) {
                if (env[i + j] != marker[j]) {
                    continue outer;
                }
            }
            if (i + marker.length == env.length || env[i + marker.length] == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads {@code /proc/<pid>/stat}: {@code pid (comm) state ppid pgrp session ...}. The command
     * name may hold spaces and parentheses, so fields are counted from the last ')'. {@code null}
     * if the process is gone or the file is not as expected.
     */
    private static @Nullable Stat stat(String name) {
        String text;
        try {
            text = Files.readString(Path.of("/proc", name, "stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null;
        }
        int end = text.lastIndexOf(')');
        if (end < 0 || end + 2 >= text.length()) {
            return null;
        }
        String[] fields = text.substring(end + 2).split(" ", 5);
        if (fields.length < 5 || fields[0].isEmpty()) {
            return null;
        }
        try {
            return new Stat(fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[3]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private record Stat(char state, long parent, long session) {}
}
