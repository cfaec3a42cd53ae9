package dev.pipewright.run;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of masking over generated secrets, surrounding text, forms and chunkings.
 *
 * <p>Secrets mix letters, digits, ASCII symbols (including {@code *}), whitespace, newlines,
 * control characters, Latin-1, CJK, U+2028 and a surrogate pair. Each is planted in random text
 * in one form (raw; one of its lines; base64, standard or URL-safe, padded or not, inside a
 * larger payload at a random offset; URL-encoded; JSON-escaped as a given library writes it).
 *
 * <p>The checks, against an oracle that finds every occurrence of every registered form with
 * {@code indexOf} and masks the union of their ranges:
 *
 * <ul>
 *   <li>no trace: the planted range (for base64, the characters that depend on the secret alone,
 *       found without knowing base64's alignment) lies within masked ranges; no form without
 *       {@code *} occurs in the output; the secret occurs in it only if it contains {@code *};
 *   <li>mask equals the oracle's masking, character for character;
 *   <li>the stream, for any chunking, passes on exactly {@code mask(whole text)}: the equality
 *       holds for every input, secrets straddling chunk boundaries included, as long as no
 *       secret is registered while the stream is open;
 *   <li>mask is idempotent when no form contains {@code *}.
 * </ul>
 *
 * <p>Dense texts over {@code ab} with several short secrets over the same letters exercise
 * overlapping, nested and adjacent matches. 300 tries per property keep the class at about a
 * second; each property has also passed 20,000 tries.
 */
class SecretMaskerPropertiesTest {

    enum Form { RAW, LINE, BASE64, URL_ENCODED, URL_PERCENT_20, JSON }

    /** How some widespread JSON writers escape a string. */
    enum JsonWriter { JACKSON, JACKSON_ESCAPE_NON_ASCII, JAVASCRIPT, PYTHON, GSON, ESCAPED_SLASH }

    @Property(tries = 300)
    void mask_plantedSecretInAnyForm_leavesNoTrace(
            @ForAll("secrets") String secret,
            @ForAll("texts") String before,
            @ForAll("texts") String after,
            @ForAll Form form,
            @ForAll JsonWriter writer,
            @ForAll("payloads") byte[] prefix,
            @ForAll("payloads") byte[] suffix,
            @ForAll boolean urlSafe,
            @ForAll boolean padded,
            @ForAll @IntRange(min = 0, max = 100) int lineChoice) {
        SecretMasker masker = new SecretMasker();
        masker.register(secret);
        Planted planted = plant(secret, before, after, form, writer, prefix, suffix, urlSafe, padded, lineChoice);

        String masked = masker.mask(planted.text());

        Set<String> forms = masker.forms();
        List<int[]> ranges = oracleRanges(planted.text(), forms);
        assertThat(masked).isEqualTo(render(planted.text(), ranges));
        assertThat(covered(ranges, planted.start(), planted.end()))
                .as("planted range [%s, %s) of %s is masked", planted.start(), planted.end(), planted.text())
                .isTrue();
        for (String registered : forms) {
            if (registered.indexOf('*') < 0) {
                assertThat(masked).doesNotContain(registered);
            }
        }
        if (forms.stream().noneMatch(f -> f.indexOf('*') >= 0)) {
            assertThat(masked).doesNotContain(secret);
            assertThat(masker.mask(masked)).isEqualTo(masked);
        }
    }

    @Property(tries = 300)
    void stream_anyChunking_passesOnExactlyMaskOfWholeText(
            @ForAll("secrets") String secret,
            @ForAll("texts") String before,
            @ForAll("texts") String after,
            @ForAll Form form,
            @ForAll JsonWriter writer,
            @ForAll("payloads") byte[] prefix,
            @ForAll("payloads") byte[] suffix,
            @ForAll boolean urlSafe,
            @ForAll boolean padded,
            @ForAll @IntRange(min = 0, max = 100) int lineChoice,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 12) Integer> chunkSizes) {
        SecretMasker masker = new SecretMasker();
        masker.register(secret);
        Planted planted = plant(secret, before, after, form, writer, prefix, suffix, urlSafe, padded, lineChoice);
        // The same text twice, so that the second copy arrives cut at other places.
        String text = planted.text() + planted.text();

        assertThat(throughStream(masker, text, chunkSizes)).isEqualTo(masker.mask(text));
    }

    @Property(tries = 300)
    void mask_overlappingSecretsInDenseText_equalsUnionOfOccurrences(
            @ForAll @Size(min = 1, max = 4) List<@From("denseSecrets") String> secrets,
            @ForAll("denseTexts") String text,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 12) Integer> chunkSizes) {
        SecretMasker masker = new SecretMasker();
        secrets.forEach(masker::register);

        String masked = masker.mask(text);

        Set<String> forms = masker.forms();
        assertThat(masked).isEqualTo(render(text, oracleRanges(text, forms)));
        assertThat(forms).noneMatch(masked::contains);
        assertThat(masker.mask(masked)).isEqualTo(masked);
        assertThat(throughStream(masker, text, chunkSizes)).isEqualTo(masked);
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<String> secrets() {
        return pieces().list().ofMinSize(4).ofMaxSize(30)
                .map(p -> String.join("", p))
                .filter(SecretMaskerPropertiesTest::registrable);
    }

    @Provide
    Arbitrary<String> texts() {
        return pieces().list().ofMaxSize(20).map(p -> String.join("", p));
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> denseSecrets() {
        return Arbitraries.strings().withChars('a', 'b').ofMinLength(4).ofMaxLength(7);
    }

    @Provide
    Arbitrary<String> denseTexts() {
        return Arbitraries.strings().withChars('a', 'b', 'x').ofMaxLength(60);
    }

    private static Arbitrary<String> pieces() {
        Arbitrary<String> alphanumeric = Arbitraries.strings().alpha().numeric().ofLength(1);
        Arbitrary<String> ascii = Arbitraries.strings().withCharRange('!', '~').ofLength(1);
        Arbitrary<String> special = Arbitraries.of(" ", "\n", "\r\n", "\t", "\u0001", "\u007f", "\u00e9", "\u00df",
                "\u79d8", "\u2028", "\uD83D\uDE00");
        return Arbitraries.frequencyOf(Tuple.of(6, alphanumeric), Tuple.of(3, ascii), Tuple.of(2, special));
    }

    private static boolean registrable(String value) {
        String stripped = value.strip();
        return stripped.codePointCount(0, stripped.length()) >= SecretMasker.MIN_LENGTH
                && !Set.of("true", "false", "yes", "no").contains(stripped.toLowerCase(Locale.ROOT));
    }

    // ---------------------------------------------------------------- planting

    private static Planted plant(String secret, String before, String after, Form form, JsonWriter writer,
            byte[] prefix, byte[] suffix, boolean urlSafe, boolean padded, int lineChoice) {
        return switch (form) {
            case RAW -> Planted.of(before, secret, after);
            case LINE -> {
                List<String> lines = secret.lines().map(String::strip).filter(SecretMaskerPropertiesTest::registrable)
                        .toList();
                yield lines.isEmpty()
                        ? Planted.of(before, secret, after)
                        : Planted.of(before + "\n", lines.get(lineChoice % lines.size()), "\n" + after);
            }
            case BASE64 -> {
                Base64.Encoder encoder = urlSafe ? Base64.getUrlEncoder() : Base64.getEncoder();
                yield Planted.base64(before, prefix, secret.getBytes(UTF_8), suffix, after,
                        padded ? encoder : encoder.withoutPadding());
            }
            case URL_ENCODED -> Planted.of(before + "?token=", URLEncoder.encode(secret, UTF_8), "&" + after);
            case URL_PERCENT_20 -> Planted.of(before + "?token=",
                    URLEncoder.encode(secret, UTF_8).replace("+", "%20"), "&" + after);
            case JSON -> Planted.of(before + "{\"token\":\"", json(secret, writer), "\"}" + after);
        };
    }

    private static String json(String value, JsonWriter writer) {
        boolean upperHex = writer == JsonWriter.JACKSON || writer == JsonWriter.JACKSON_ESCAPE_NON_ASCII;
        StringBuilder escaped = new StringBuilder();
        for (char c : value.toCharArray()) {
            String shortForm = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\b' -> "\\b";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\f' -> "\\f";
                case '\r' -> "\\r";
                case '/' -> writer == JsonWriter.ESCAPED_SLASH ? "\\/" : "/";
                default -> null;
            };
            boolean unicode = c < 0x20
                    || writer == JsonWriter.PYTHON && c >= 0x7F
                    || writer == JsonWriter.JACKSON_ESCAPE_NON_ASCII && c > 0x7F
                    || writer == JsonWriter.GSON && ("<>&='".indexOf(c) >= 0 || c == '\u2028' || c == '\u2029');
            if (shortForm != null) {
                escaped.append(shortForm);
            } else if (unicode) {
                String hex = String.format(Locale.ROOT, upperHex ? "%04X" : "%04x", (int) c);
                escaped.append("\\u").append(hex);
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    // ---------------------------------------------------------------- oracle

    /** Every occurrence of every form, merged where they overlap (not where they only touch). */
    private static List<int[]> oracleRanges(String text, Set<String> forms) {
        List<int[]> occurrences = new ArrayList<>();
        for (String form : forms) {
            for (int i = text.indexOf(form); i >= 0; i = text.indexOf(form, i + 1)) {
                occurrences.add(new int[] {i, i + form.length()});
            }
        }
        occurrences.sort(Comparator.comparingInt(r -> r[0]));
        List<int[]> merged = new ArrayList<>();
        for (int[] range : occurrences) {
            int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last[1] > range[0]) {
                last[1] = Math.max(last[1], range[1]);
            } else {
                merged.add(range.clone());
            }
        }
        return merged;
    }

    private static String render(String text, List<int[]> ranges) {
        StringBuilder out = new StringBuilder();
        int cursor = 0;
        for (int[] range : ranges) {
            out.append(text, cursor, range[0]).append(SecretMasker.MASK);
            cursor = range[1];
        }
        return out.append(text, cursor, text.length()).toString();
    }

    private static boolean covered(List<int[]> ranges, int start, int end) {
        for (int i = start; i < end; i++) {
            int position = i;
            if (ranges.stream().noneMatch(r -> r[0] <= position && position < r[1])) {
                return false;
            }
        }
        return true;
    }

    private static String throughStream(SecretMasker masker, String text, List<Integer> chunkSizes) {
        StringBuilder received = new StringBuilder();
        try (SecretMasker.Stream stream = masker.stream(received::append)) {
            int position = 0;
            for (int i = 0; position < text.length(); i++) {
                int end = Math.min(text.length(), position + chunkSizes.get(i % chunkSizes.size()));
                stream.write(text.substring(position, end));
                position = end;
            }
        }
        return received.toString();
    }
}
