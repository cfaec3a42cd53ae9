package dev.pipewright.git;

import java.nio.charset.StandardCharsets;

/**
 * ASCII bytes seen as characters, so that patterns run on a file's bytes without decoding them
 * into a string, which for a large file would be one more large array to allocate and collect.
 * Only for bytes that are all ASCII, where byte offsets are character offsets. Immutable as long
 * as nobody writes to the bytes.
 */
final class SecretAsciiText implements CharSequence {
    private final byte[] bytes;
    private final int start;
    private final int length;

    SecretAsciiText(byte[] bytes, int start, int length) {
        this.bytes = bytes;
        this.start = start;
        this.length = length;
    }

    /** Whether the first {@code length} bytes are all ASCII. */
    static boolean isAscii(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index " + index + " of " + length);
        }
        return (char) bytes[start + index];
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        if (from < 0 || to > length || from > to) {
            throw new IndexOutOfBoundsException("range " + from + ".." + to + " of " + length);
        }
        return new SecretAsciiText(bytes, start + from, to - from);
    }

    @Override
    public String toString() {
        return new String(bytes, start, length, StandardCharsets.ISO_8859_1);
    }
}
