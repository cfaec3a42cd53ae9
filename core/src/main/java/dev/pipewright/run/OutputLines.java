package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts a command's output bytes into prefixed lines for a line sink.
 *
 * <p>A line ends at {@code \n}; a {@code \r} right before it is dropped, so CRLF output reads
 * like LF output. The last line is delivered by {@link #finish()} even without a newline. Bytes
 * are decoded as UTF-8 with malformed input replaced by U+FFFD, never rejected: a build may print
 * anything. A line longer than the limit is cut before the limit, at a character boundary when
 * the bytes are UTF-8, and goes on in a new line starting with {@link #CONTINUED} after the
 * prefix; memory stays bounded by the limit whatever the child prints.
 *
 * <p>Each line reaches the sink as {@code prefix + [CONTINUED] + text}. Not thread-safe: one
 * reader thread feeds it.
 */
final class OutputLines {
    /** The longest line, in bytes, delivered in one piece: 64 KiB. */
    static final int MAX_LINE_BYTES = 64 * 1024;
    /** Starts, after the prefix, each piece of a line that was cut because it was too long. */
    static final String CONTINUED = "[continued] ";

    private final String prefix;
    private final int maxLineBytes;
    private final Consumer<String> sink;
    private byte[] line = new byte[256];
    private int length;
    private boolean continuation;

    /**
     * Lines of at most {@code maxLineBytes} bytes each, passed to {@code sink} with {@code prefix}
     * in front.
     */
    OutputLines(String prefix, int maxLineBytes, Consumer<String> sink) {
        // Four bytes is the longest UTF-8 character: a smaller limit could not keep one whole.
        checkArgument(maxLineBytes >= 4, "maxLineBytes must be at least 4 but was %s", maxLineBytes);
        this.prefix = checkNotNull(prefix, "prefix");
        this.maxLineBytes = maxLineBytes;
        this.sink = checkNotNull(sink, "sink");
    }

    /** Takes the next {@code count} bytes of output, delivering every line they complete. */
    void write(byte[] bytes, int offset, int count) {
        int end = offset + count;
        int from = offset;
        while (from < end) {
            int newline = indexOfNewline(bytes, from, end);
            append(bytes, from, (newline < 0 ? end : newline) - from);
            if (newline < 0) {
                return;
            }
            int text = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
            deliver(text);
            length = 0;
            continuation = false;
            from = newline + 1;
        }
    }

    /** Delivers what is left as the last line, if anything is. */
    void finish() {
        if (length > 0) {
            deliver(length);
            length = 0;
        }
        continuation = false;
    }

    private void append(byte[] bytes, int offset, int count) {
        int from = offset;
        int left = count;
        while (left > 0) {
            if (length == maxLineBytes) {
                cut();
            }
            int n = Math.min(left, maxLineBytes - length);
            if (length + n > line.length) {
                line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(length + n, line.length * 2)));
            }
            System.arraycopy(bytes, from, line, length, n);
            length += n;
            from += n;
            left -= n;
        }
    }

    /** Delivers the full buffer up to its last whole character and keeps the rest for the next piece. */
    private void cut() {
        int at = characterBoundary();
        deliver(at);
        System.arraycopy(line, at, line, 0, length - at);
        length -= at;
        continuation = true;
    }

    /**
     * Where the last character in the buffer starts if it is incomplete, else the buffer's end.
     * Invalid bytes are cut anywhere: they decode to U+FFFD either way.
     */
    private int characterBoundary() {
        int start = length - 1;
        while (start > 0 && start > length - 4 && (line[start] & 0xC0) == 0x80) {
            start--;
        }
        int lead = line[start] & 0xFF;
        int size = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return start > 0 && start + size > length ? start : length;
    }

    private void deliver(int count) {
        String text = new String(line, 0, count, StandardCharsets.UTF_8);
        sink.accept(continuation ? prefix + CONTINUED + text : prefix + text);
    }

    private static int indexOfNewline(byte[] bytes, int from, int end) {
        for (int i = from; i < end; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
