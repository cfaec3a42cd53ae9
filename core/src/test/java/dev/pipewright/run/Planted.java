package dev.pipewright.run;

import java.util.Base64;

/**
 * A text with a secret planted in it in some form, and the range {@code [start, end)} of the text
 * that depends on the secret alone, so masking must cover it.
 */
record Planted(String text, int start, int end) {

    /** {@code form} between {@code before} and {@code after}: the range is the form. */
    static Planted of(String before, String form, String after) {
        return new Planted(before + form + after, before.length(), before.length() + form.length());
    }

    /**
     * The secret's bytes between {@code prefix} and {@code suffix}, base64-encoded as one payload
     * and written between {@code before} and {@code after}. The range is derived without knowing
     * how base64 aligns: encode the payload again with every byte around the secret inverted;
     * the characters that do not change depend on the secret alone (padding aside).
     */
    static Planted base64(String before, byte[] prefix, byte[] secret, byte[] suffix, String after,
            Base64.Encoder encoder) {
        String encoded = encoder.encodeToString(concat(prefix, secret, suffix));
        String inverted = encoder.encodeToString(concat(invert(prefix), secret, invert(suffix)));
        int first = -1;
        int last = -1;
        for (int i = 0; i < encoded.length(); i++) {
            if (encoded.charAt(i) == inverted.charAt(i) && encoded.charAt(i) != '=') {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        if (first < 0 || !encoded.substring(first, last + 1).equals(inverted.substring(first, last + 1))) {
            throw new IllegalStateException("no contiguous stable run: secret too short?");
        }
        return new Planted(before + encoded + after, before.length() + first, before.length() + last + 1);
    }

    /** The planted part that must not survive masking. */
    String secretPart() {
        return text.substring(start, end);
    }

    private static byte[] concat(byte[] a, byte[] b, byte[] c) {
        byte[] all = new byte[a.length + b.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        System.arraycopy(c, 0, all, a.length + b.length, c.length);
        return all;
    }

    private static byte[] invert(byte[] bytes) {
        byte[] inverted = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            inverted[i] = (byte) ~bytes[i];
        }
        return inverted;
    }
}
