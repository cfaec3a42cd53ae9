package dev.pipewright.git;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns file contents into text for the {@link SecretScanner}: binary content is skipped (a NUL
 * byte in the first 8,000 bytes, as Git decides), text is decoded as UTF-8 (malformed bytes
 * become U+FFFD), and inputs larger than a window are streamed and scanned in overlapping
 * windows, so that a 100 MB file never sits in memory whole.
 *
 * <p>A window reports the findings that start inside it and reads {@code overlap} characters past
 * its end and the line before its start as context: a secret shorter than the overlap (a PEM key
 * is at most about 17,000 characters) is found exactly once, with the line and column a scan of
 * the whole text would give. Immutable and thread-safe.
 */
final class SecretText {
    /** Git's own test for binary content looks at this many bytes. */
    static final int SNIFF_BYTES = 8000;
    /** 16 Mi characters a window: most files are read whole, no window holds more than 50 MB. */
    static final SecretText DEFAULT = new SecretText(16 << 20, 64 << 10);

    private final int window;
    private final int overlap;

    /** The largest input scanned whole rather than in windows. */
    int wholeLimit() {
        return window + overlap - 1;
    }

    SecretText(int window, int overlap) {
        checkArgument(window > 0 && overlap > 0, "window %s and overlap %s must be positive", window,
                overlap);
        this.window = window;
        this.overlap = overlap;
    }

    /** What a scan of one input found, and how many bytes of text it read; null findings and no bytes for binary. */
    record Scanned(@Nullable List<SecretFinding> findings, long bytes) {
        boolean binary() {
            return findings == null;
        }
    }

    /** Whether the first bytes hold a NUL. */
    static boolean isBinary(byte[] bytes, int length) {
        int n = Math.min(length, SNIFF_BYTES);
        for (int i = 0; i < n; i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** The findings in {@code bytes}, or null when they are binary. */
    @Nullable List<SecretFinding> scan(SecretScanner scanner, String path, byte[] bytes, int length) {
        if (isBinary(bytes, length)) {
            return null;
        }
        return scanner.scanUtf8(path, bytes, length);
    }

    /**
     * Scans a stream to its end: whole when it is no larger than a window and its overlap, else in
     * windows. Does not close {@code in}.
     */
    Scanned scan(SecretScanner scanner, String path, InputStream in) throws IOException {
        byte[] head = in.readNBytes(window + overlap);
        if (head.length < window + overlap) { // the whole input
            List<SecretFinding> findings = scan(scanner, path, head, head.length);
            return new Scanned(findings, findings == null ? 0 : head.length);
        }
        if (isBinary(head, head.length)) {
            return new Scanned(null, 0);
        }
        CountingStream rest = new CountingStream(in);
        try (Reader reader = new InputStreamReader(
                new SequenceInputStream(new ByteArrayInputStream(head), rest), StandardCharsets.UTF_8)) {
            List<SecretFinding> findings = scanWindows(scanner, path, reader);
            return new Scanned(findings, head.length + rest.count);
        }
    }

    /** Scans text read from {@code reader} window by window. */
    List<SecretFinding> scanWindows(SecretScanner scanner, String path, Reader reader)
            throws IOException {
        List<SecretFinding> out = new ArrayList<>();
        StringBuilder buf = new StringBuilder(window + 2 * overlap);
        char[] chunk = new char[1 << 16];
        int linesBefore = 0; // newlines before buf[0]
        int columnsBefore = 0; // characters of buf's first line before buf[0]
        int from = 0; // where this window's reports start, in buf
        boolean eof = false;
        while (true) {
            int start = windowStart(buf, from);
            int newline = lastNewline(buf, 0, start);
            linesBefore += count(buf, start);
            columnsBefore = newline < 0 ? columnsBefore + start : start - newline - 1;
            buf.delete(0, start);
            from -= start;
            while (!eof && buf.length() < from + window + overlap) {
                int n = reader.read(chunk);
                if (n < 0) {
                    eof = true;
                } else {
                    buf.append(chunk, 0, n);
                }
            }
            boolean last = eof && buf.length() - from <= window + overlap;
            int to = last ? buf.length() : boundary(buf, from, from + window);
            int end = last ? buf.length() : lineEnd(buf, to + overlap);
            for (SecretFinding f : scanner.scan(path, buf.substring(0, end), from, to)) {
                out.add(f.shiftedBy(linesBefore, columnsBefore));
            }
            if (last) {
                return out;
            }
            from = to;
        }
    }

    /** The start of the line before the one holding {@code from}, within one overlap of it. */
    private int windowStart(StringBuilder buf, int from) {
        if (from == 0) {
            return 0;
        }
        int floor = Math.max(0, from - overlap);
        int lineStart = lastNewline(buf, floor, from) + 1; // from's own line
        if (lineStart <= floor) {
            return floor;
        }
        int before = lastNewline(buf, floor, lineStart - 1) + 1;
        return Math.max(floor, before);
    }

    /** A line start in {@code (from, at]}, within one overlap of {@code at}; else {@code at}. */
    private int boundary(StringBuilder buf, int from, int at) {
        int newline = lastNewline(buf, Math.max(from + 1, at - overlap), at);
        return newline < 0 ? at : newline + 1;
    }

    /** The end of the line holding {@code at}, after its newline; the text's end without one. */
    private static int lineEnd(StringBuilder buf, int at) {
        if (at >= buf.length()) {
            return buf.length();
        }
        int newline = buf.indexOf("\n", at);
        return newline < 0 ? buf.length() : newline + 1;
    }

    /** The last newline in {@code [floor, before)}, or -1. */
    private static int lastNewline(StringBuilder buf, int floor, int before) {
        for (int i = before - 1; i >= floor; i--) {
            if (buf.charAt(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int count(StringBuilder buf, int end) {
        int n = 0;
        for (int i = 0; i < end; i++) {
            if (buf.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    /** Counts the bytes read through it. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
