package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request, made from any thread, to stop the commands of a run: the runner creates one per run,
 * gives it to every {@link ShellCommand} and calls {@link #cancel()} on SIGINT, SIGTERM or an API
 * call, and {@link #cancelNow()} on a second one.
 *
 * <p>{@code cancel()} stops running commands gracefully (TERM, a grace period, then KILL);
 * {@code cancelNow()} skips what is left of the grace period. Commands started afterwards do not
 * start at all. Both are idempotent and never undone. Thread-safe.
 */
final class Cancellation {
    private static final Logger LOG = LoggerFactory.getLogger(Cancellation.class);

    private enum State { ACTIVE, CANCELLED, FORCED }

    private final Object lock = new Object();
    /** Created with the first listener: most cancellations never get one. */
    private @Nullable List<Runnable> listeners;
    /** Written under {@link #lock}, so listeners see each change once; read without it. */
    private volatile State state = State.ACTIVE;

    private Cancellation() {}

    /** A cancellation not yet requested. */
    static Cancellation create() {
        return new Cancellation();
    }

    /** Asks running commands to stop within their grace period; later calls do nothing. */
    void cancel() {
        advance(State.CANCELLED);
    }

    /** Asks running commands to stop at once, killing what is left; implies {@link #cancel()}. */
    void cancelNow() {
        advance(State.FORCED);
    }

    /** Whether {@link #cancel()} or {@link #cancelNow()} was called. */
    boolean isCancelled() {
        return state != State.ACTIVE;
    }

    /** Whether {@link #cancelNow()} was called. */
    boolean isForced() {
        return state == State.FORCED;
    }

    /**
     * Calls {@code listener} on each change: once for {@code cancel()}, once more for
     * {@code cancelNow()}, on the thread making the change; at once, on this thread, if a change
     * already happened. The listener must be quick and must not throw.
     */
    Registration onChange(Runnable listener) {
        checkNotNull(listener, "listener");
        boolean changed;
        synchronized (lock) {
            if (listeners == null) {
                listeners = new ArrayList<>();
            }
            listeners.add(listener);
            changed = state != State.ACTIVE;
        }
        if (changed) {
            call(listener);
        }
        return () -> {
            synchronized (lock) {
                if (listeners != null) {
                    listeners.remove(listener);
                }
            }
        };
    }

    private void advance(State to) {
        List<Runnable> toCall;
        synchronized (lock) {
            if (state.compareTo(to) >= 0) {
                return;
            }
            state = to;
            toCall = listeners == null ? List.of() : List.copyOf(listeners);
        }
        toCall.forEach(Cancellation::call);
    }

    private static void call(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            // One broken listener must not keep the others' commands running.
            LOG.error("A cancellation listener failed; the other commands are still being cancelled", e);
        }
    }

    /** Stops a listener being called. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
