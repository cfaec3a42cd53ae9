package dev.pipewright.aws;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Errors queued by {@link AwsSandbox#failNext}, answered instead of the next calls of an operation. */
final class SandboxFaults {
    private final Map<String, Deque<SandboxError>> queued = new HashMap<>(); // guarded by this

    synchronized void add(AwsSandbox.Service service, String operation, SandboxError error, int times) {
        Deque<SandboxError> queue = queued.computeIfAbsent(service + "/" + operation, k -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(error);
        }
    }

    synchronized Optional<SandboxError> next(AwsSandbox.Service service, String operation) {
        Deque<SandboxError> queue = queued.get(service + "/" + operation);
        return queue == null ? Optional.empty() : Optional.ofNullable(queue.poll());
    }

    synchronized void clear() {
        queued.clear();
    }
}
