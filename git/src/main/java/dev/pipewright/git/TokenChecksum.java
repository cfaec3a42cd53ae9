package dev.pipewright.git;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The offline checksum of GitHub and npm tokens.
 *
 * <p>GitHub's 2021 token format ({@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_},
 * {@code ghr_}) and npm's ({@code npm_}) are a prefix, 30 random base62 characters and 6
 * characters of checksum: the CRC32 (IEEE) of the 30 random characters, written in base62 with
 * the alphabet {@code 0-9A-Za-z}, most significant digit first, left-padded with {@code 0} to 6
 * digits (62^6 &gt; 2^32, so 6 digits always suffice). The prefix is not part of the checksummed
 * text. For fine-grained tokens ({@code github_pat_<22>_<59>}) we apply the same rule to the
 * part after the last underscore: its last 6 characters check the 53 before them. That layout
 * is our reading of the format, not a published specification.
 */
final class TokenChecksum {
    static final int LENGTH = 6;
    private static final String ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private TokenChecksum() {}

    /** Base62 of {@code value} (unsigned), left-padded with '0' to {@code width} digits. */
    static String base62(long value, int width) {
        checkArgument(value >= 0, "value must not be negative but was %s", value);
        char[] digits = new char[Math.max(width, 11)];
        int i = digits.length;
        long rest = value;
        do {
            digits[--i] = ALPHABET.charAt((int) (rest % 62));
            rest /= 62;
        } while (rest > 0);
        while (digits.length - i < width) {
            digits[--i] = '0';
        }
        return new String(digits, i, digits.length - i);
    }

    /** The 6-character checksum of a token's random part. */
    static String of(String randomPart) {
        CRC32 crc = new CRC32();
        crc.update(randomPart.getBytes(StandardCharsets.US_ASCII));
        return base62(crc.getValue(), LENGTH);
    }

    /** Whether the part after the last underscore ends with the checksum of what precedes it. */
    static boolean isValid(String token) {
        String tail = token.substring(token.lastIndexOf('_') + 1);
        if (tail.length() <= LENGTH) {
            return false;
        }
        int split = tail.length() - LENGTH;
        return of(tail.substring(0, split)).equals(tail.substring(split));
    }
}
