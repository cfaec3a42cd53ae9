package dev.pipewright.examples.bench;

/**
 * Publishes every result of the measured work through a volatile field, so the JIT can neither
 * drop the work as dead code nor skip building the result.
 */
final class Blackhole {
    private volatile Object last = "";
    private long consumed;

    void consume(Object result) {
        last = result;
        consumed++;
    }

    /** How many results were consumed. */
    long consumed() {
        return consumed;
    }

    /** The last result consumed; the empty string before the first. */
    Object last() {
        return last;
    }
}
