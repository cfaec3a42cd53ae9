package dev.pipewright.git;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Values that look like secrets but are not: documentation examples, placeholders, template and
 * environment references, UUIDs, hex digests, password hashes, base64 of example sentences,
 * alphabets and public keys. Applied to every rule's match.
 */
final class Decoys {
    private static final List<String> PLACEHOLDER_WORDS =
            List.of(
                    "example", "your_", "your-", "yourkey", "changeme", "change_me", "change-me",
                    "placeholder", "redacted", "dummy", "sample", "replace_me", "replaceme", "replace-me",
                    "****", "...", "\u2026", "insert_", "<your", "notreal", "not_real");
    /** Example values of RFCs and docs that are not AWS's (those carry EXAMPLE), and bare words. */
    private static final Set<String> KNOWN_VALUES =
            Set.of(
                    "2YotnFZFEjr1zCsicMWpAA", "tGzv3JOkF0XG5Qx2TlKWIA", "SplxlOBeZQQYbYS6WxSbIA",
                    "password", "passwd", "secret", "token", "username", "pass", "pwd");
    private static final List<String> TEMPLATE_MARKERS =
            List.of("${", "{{", "<<", "#{", "%{", "$(", "secrets.", "env.", "vars.");
    private static final List<String> PUBLIC_KEY_STARTS =
            List.of(
                    "ssh-rsa", "ssh-ed25519", "ssh-dss", "ecdsa-sha2-", "AAAAB3NzaC1", "AAAAC3NzaC1",
                    "AAAAE2VjZHNh", "-----BEGIN PUBLIC KEY", "-----BEGIN RSA PUBLIC KEY",
                    "-----BEGIN CERTIFICATE", "-----BEGIN PGP PUBLIC KEY", "pk_live_", "pk_test_");
    private static final Pattern ENV_REFERENCE =
            Pattern.compile("\\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%");
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern HEX_DIGEST =
            Pattern.compile("[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");
    /** bcrypt, sha-crypt, argon2, scrypt and PBKDF2 password hashes: digests, not secrets. */
    private static final Pattern PASSWORD_HASH =
            Pattern.compile("\\$(?:2[abxy]?|5|6|argon2(?:id|i|d)|scrypt|pbkdf2[\\w\\-]*)\\$.*");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{12,}={0,2}");
    /** Words that make decoded base64 text an example rather than a secret. */
    private static final Pattern EXAMPLE_PHRASE =
            Pattern.compile("(?i).*\\b(?:not|fake|test|example|real|dummy|demo|sample)\\b.*");
    /** Longer values are multi-line keys, whose DER headers legitimately repeat characters. */
    private static final int TOKEN_SIZED = 200;

    private Decoys() {}

    static boolean isDecoy(String value) {
        if (value.contains("EXAMPLE")) {
            return true; // AWS's documented keys: AKIAIOSFODNN7EXAMPLE, wJalr...EXAMPLEKEY
        }
        if (KNOWN_VALUES.contains(value)) {
            return true;
        }
        if (value.contains("xxxx") || value.contains("XXXX")) {
            return true; // case-sensitive: random base62 holds some xXxx about once in 10^4 tokens
        }
        String lower = value.toLowerCase(Locale.ROOT);
        for (String word : PLACEHOLDER_WORDS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        for (String marker : TEMPLATE_MARKERS) {
            if (value.contains(marker)) {
                return true;
            }
        }
        for (String start : PUBLIC_KEY_STARTS) {
            if (value.startsWith(start)) {
                return true;
            }
        }
        if (value.startsWith("<") && value.endsWith(">")) {
            return true;
        }
        if (ENV_REFERENCE.matcher(value).matches()
                || UUID.matcher(value).matches()
                || HEX_DIGEST.matcher(value).matches()
                || PASSWORD_HASH.matcher(value).matches()
                || isEncodedPhrase(value)) {
            return true;
        }
        return value.length() <= TOKEN_SIZED && (hasRun(value, 5) || hasSequence(value, 6));
    }

    /**
     * Whether {@code length} characters in a row follow each other in the alphabet (abcdef,
     * 123456): an alphabet or a made-up example, which random text holds once in 10^9.
     */
    static boolean hasSequence(String value, int length) {
        int run = 1;
        for (int i = 1; i < value.length(); i++) {
            run = value.charAt(i) == value.charAt(i - 1) + 1 ? run + 1 : 1;
            if (run >= length) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code value} is base64 of a sentence that says it is an example ("not my real
     * password"): random secrets never decode to words and spaces.
     */
    static boolean isEncodedPhrase(String value) {
        if (value.length() > TOKEN_SIZED || !BASE64.matcher(value).matches()
                || value.length() % 4 != 0) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean space = false;
        for (byte b : decoded) {
            if (b < 0x20 || b > 0x7e) {
                return false;
            }
            space |= b == ' ';
        }
        String text = new String(decoded, StandardCharsets.US_ASCII);
        return space && (EXAMPLE_PHRASE.matcher(text).matches() || isDecoy(text));
    }

    /** Whether some character repeats {@code length} times in a row (xxxxx, 00000, AAAAA). */
    static boolean hasRun(String value, int length) {
        int run = 1;
        for (int i = 1; i < value.length(); i++) {
            run = value.charAt(i) == value.charAt(i - 1) ? run + 1 : 1;
            if (run >= length) {
                return true;
            }
        }
        return false;
    }

    /** Shannon entropy in bits per character. */
    static double entropy(String value) {
        if (value.isEmpty()) {
            return 0;
        }
        int[] counts = new int[128];
        int other = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 128) {
                counts[c]++;
            } else {
                other++;
            }
        }
        double bits = 0;
        double n = value.length();
        for (int count : counts) {
            if (count > 0) {
                double p = count / n;
                bits -= p * Math.log(p) / Math.log(2);
            }
        }
        if (other > 0) {
            double p = other / n;
            bits -= p * Math.log(p) / Math.log(2);
        }
        return bits;
    }
}
