package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.util.concurrent.Uninterruptibles;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * <p><b>Cost.</b> A scan looks only at processes created after the root: pids after the root's
 * and up to the last one the kernel handed out ({@code /proc/sys/kernel/ns_last_pid}), the range
 * wrapping around at {@code pid_max}. Up to 64 such pids are tried one by one, more are found by
 * listing /proc. When the root is gone, none is followed and there is no session (the usual end
 * of a command run without a shell), only each process's {@code environ} is read, so a command
 * that left nothing costs a few small reads whatever else runs on the machine; otherwise
 * {@code stat} too. If the kernel handed out every pid once more while the command ran (pid_max
 * new processes, 32768 on some machines), a process started after the pids came around past the
 * root's is found only while it descends from a member found otherwise. Without a readable
 * ns_last_pid every process is looked at.
 *
 * <p>Not thread-safe: the thread running the command uses it.
 */
final class ProcessTree {
    /** The environment variable holding a command's marker; see the class comment. */
    static final String MARKER_VARIABLE = "PIPEWRIGHT_PROCESS_TREE";
    private static final Logger LOG = LoggerFactory.getLogger(ProcessTree.class);
    private static final File PROC = new File("/proc");
    private static final String LAST_PID = "/proc/sys/kernel/ns_last_pid";
    /** Pids go up to one less, then start again from low numbers; 2^22 is the kernel's limit. */
    private static final long PID_MAX = pidMax();
    /** Up to how many pids handed out since the root's are tried one by one instead of listing /proc. */
    private static final long PROBE_LIMIT = 64;
    private static final boolean HAS_PROC = new File(PROC, "self").isDirectory();
    private static final Duration POLL = Duration.ofMillis(20);
    /** How long to keep sending KILL to processes that do not die (uninterruptible sleep). */
    private static final Duration KILL_LIMIT = Duration.ofSeconds(2);

    /** A {@link Process}, not a handle: asking it whether it is alive reads no file. */
    private final Process root;
    private final long session;
    /** {@code NAME=token} as it appears, NUL-terminated, in /proc/<pid>/environ. */
    private final byte[] marker;
    private final Set<ProcessHandle> known = new LinkedHashSet<>();

    private ProcessTree(Process root, long session, String marker) {
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
    static ProcessTree sessionOf(Process root, String marker) {
        return new ProcessTree(root, HAS_PROC ? root.pid() : 0, marker);
    }

    /**
     * The tree of {@code root}, started with {@code marker} in its environment in the JVM's
     * session: found through descendants and the marker.
     */
    static ProcessTree descendantsOf(Process root, String marker) {
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
            found.add(root.toHandle());
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
     * be read.
     */
    private @Nullable Set<ProcessHandle> scanProc() {
        long rootPid = root.pid();
        Set<Long> followed = new HashSet<>();
        if (root.isAlive()) {
            followed.add(rootPid);
        }
        for (ProcessHandle h : known) {
            if (h.isAlive()) {
                followed.add(h.pid());
            }
        }
        Map<Long, Stat> all = new HashMap<>();
        Map<Long, List<Long>> children = new HashMap<>();
        Set<Long> pids = new LinkedHashSet<>();
        for (long pid : followed) {
            look(pid, true, all, children, pids);
        }
        long last = lastPid();
        long created = last < 0 ? Long.MAX_VALUE : last >= rootPid ? last - rootPid : PID_MAX - rootPid + last;
        boolean probed = created <= PROBE_LIMIT;
        List<Long> candidates = new ArrayList<>();
        if (probed) {
            // A few pids were handed out since the root's (some to threads): trying each is cheaper than a listing.
            for (long pid = rootPid; pid != last; ) {
                pid = pid + 1 >= PID_MAX ? 1 : pid + 1;
                if (!followed.contains(pid)) {
                    candidates.add(pid);
                }
            }
        } else {
            String[] names = PROC.list();
            if (names == null) {
                LOG.debug("Cannot list {}; finding the command's processes through the JDK", PROC);
                return null;
            }
            for (String name : names) {
                long pid = pid(name);
                if (pid > 0 && !followed.contains(pid) && createdAfter(pid, rootPid, last)) {
                    candidates.add(pid);
                }
            }
        }
        if (followed.isEmpty() && session == 0 && noneMarked(candidates)) {
            // The usual end of a command run without a shell: with the root gone, no session and none
            // known, only a marked process can be a member (its descendants follow from it), so one
            // read each tells that nothing is left.
            return new LinkedHashSet<>();
        }
        for (long pid : candidates) {
            look(pid, false, all, children, pids);
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
            // A probed pid may be a thread's: its process is a member under its own pid.
            if (s != null && s.state() != 'Z' && (!probed || followed.contains(pid) || leadsItsProcess(pid))) {
                ProcessHandle.of(pid).ifPresent(found::add);
            }
        }
        return found;
    }

    /**
     * Reads process {@code pid}'s stat into {@code all} and {@code children}, and adds it to
     * {@code members} when it is {@code followed}, in the session or marked.
     */
    private void look(long pid, boolean followed, Map<Long, Stat> all, Map<Long, List<Long>> children,
            Set<Long> members) {
        String dir = "/proc/" + pid;
        if (!followed && !new File(dir).exists()) {
            return; // most pids tried are gone already: cheaper than a failed open's exception
        }
        Stat s = stat(dir);
        if (s == null) {
            return; // no such process, or it exited while we looked
        }
        all.put(pid, s);
        children.computeIfAbsent(s.parent(), k -> new ArrayList<>(2)).add(pid);
        if (followed || session != 0 && s.session() == session || s.state() != 'Z' && marked(dir)) {
            members.add(pid);
        }
    }

    /** Whether none of {@code pids} is a living process holding the marker. */
    private boolean noneMarked(List<Long> pids) {
        for (long pid : pids) {
            String dir = "/proc/" + pid;
            if (new File(dir).exists() && marked(dir)) {
                return false;
            }
        }
        return true;
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

    private static long pidMax() {
        long max = number("/proc/sys/kernel/pid_max");
        return max > 1 ? max : 1 << 22;
    }

    /** The last pid the kernel handed out in this pid namespace, or -1 if unknown. */
    private static long lastPid() {
        return number(LAST_PID);
    }

    /** The number a small /proc file holds, or -1. */
    private static long number(String file) {
        try (FileInputStream in = new FileInputStream(file)) {
            return Long.parseLong(new String(in.readNBytes(32), StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Whether {@code pid} is a process's, not one of its other threads'. */
    private static boolean leadsItsProcess(long pid) {
        String status;
        try (FileInputStream in = new FileInputStream("/proc/" + pid + "/status")) {
            status = new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return false;
        }
        int at = status.indexOf("\nTgid:");
        if (at < 0) {
            return false;
        }
        int from = at + "\nTgid:".length();
        int to = status.indexOf('\n', from);
        try {
            return Long.parseLong(status.substring(from, to < 0 ? status.length() : to).strip()) == pid;
        } catch (NumberFormatException e) {
            return false;
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
    private boolean marked(String dir) {
        byte[] env;
        try (FileInputStream in = new FileInputStream(dir + "/environ")) {
            env = in.readAllBytes();
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
    private static @Nullable Stat stat(String dir) {
        String text;
        try (FileInputStream in = new FileInputStream(dir + "/stat")) {
            text = new String(in.readNBytes(1024), StandardCharsets.ISO_8859_1);
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
