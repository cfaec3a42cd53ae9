package dev.pipewright.run;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretMaskerTest {
    private static final String TOKEN = "tok_9fQ2xLr7ZkP4wNs8";

    private final SecretMasker masker = new SecretMasker();

    /** A PEM-shaped multi-line secret, generated so that no key-shaped literal is committed. */
    static String pem(long seed) {
        byte[] body = new byte[300];
        new Random(seed).nextBytes(body);
        String base64 = Base64.getEncoder().encodeToString(body);
        StringBuilder pem = new StringBuilder("-----BEGIN TEST KEY-----\n");
        for (int i = 0; i < base64.length(); i += 64) {
            pem.append(base64, i, Math.min(base64.length(), i + 64)).append('\n');
        }
        return pem.append("-----END TEST KEY-----\n").toString();
    }

    // ---------------------------------------------------------------- registration

    @ParameterizedTest
    @ValueSource(strings = {"abc", "  ab \n", "", "   \t  ", "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00"})
    void register_shortSecret_isRejectedWithReasonButNotValue(String secret) {
        assertThatThrownBy(() -> masker.register(secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 4 characters")
                .hasMessageContaining("cannot be masked reliably");
        assertThat(masker.forms()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "False", "TRUE", " false\n", "yes", "NO"})
    void register_booleanWord_isRejectedWithReason(String secret) {
        assertThatThrownBy(() -> masker.register(secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be masked reliably");
        assertThat(masker.forms()).isEmpty();
    }

    @Test
    void register_shortSecret_messageDoesNotEchoTheValue() {
        assertThatThrownBy(() -> masker.register("q7!"))
                .hasMessageNotContaining("q7!")
                .hasMessage("A secret needs at least 4 characters besides surrounding whitespace, but this one has 3: "
                        + "text that short occurs by chance in ordinary output, so it cannot be masked reliably. "
                        + "Use a longer value or do not mark it secret.");
    }

    @Test
    void register_sameSecretTwice_isHarmless() {
        masker.register(TOKEN);
        var forms = masker.forms();
        masker.register(TOKEN);

        assertThat(masker.forms()).isEqualTo(forms);
        assertThat(masker.mask("token " + TOKEN + " used")).isEqualTo("token *** used");
    }

    @Test
    void register_nothing_masksNothing() {
        String text = "plain " + TOKEN;

        assertThat(masker.mask(text)).isSameAs(text);
    }

    @Test
    void forms_neverShorterThanMinimum() {
        masker.register("abcd");
        masker.register("\u00e9\u00e9\u00e9\u00e9");
        masker.register(pem(1));

        assertThat(masker.forms()).allSatisfy(form -> assertThat(form).hasSizeGreaterThanOrEqualTo(4));
    }

    // ---------------------------------------------------------------- forms in realistic text

    @Test
    void mask_rawSecretInLog_isReplaced() {
        masker.register(TOKEN);

        assertThat(masker.mask("export TOKEN=" + TOKEN + "\ncurl -H 'Authorization: Bearer " + TOKEN + "'"))
                .isEqualTo("export TOKEN=***\ncurl -H 'Authorization: Bearer ***'");
    }

    @Test
    void mask_secretReadFromFileWithNewline_isMaskedWithoutIt() {
        masker.register(TOKEN + "\n");

        assertThat(masker.mask("token=" + TOKEN + ";")).isEqualTo("token=***;");
        assertThat(masker.mask(base64(TOKEN))).isEqualTo("***");
    }

    @Test
    void mask_base64OfJsonDocumentContainingSecret_masksEveryCharacterThatDependsOnlyOnIt() {
        masker.register(TOKEN);
        for (String prefix : List.of("{\"token\":\"", "{\"user\":\"ci\",\"token\":\"", "{\"user\":\"ci-bot\",\"token\":\"")) {
            byte[] before = prefix.getBytes(UTF_8);
            byte[] after = "\",\"scopes\":[\"repo\"]}".getBytes(UTF_8);
            for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder().withoutPadding())) {
                Planted planted = Planted.base64("kubectl: data: ", before, TOKEN.getBytes(UTF_8), after, "\n", encoder);

                String masked = masker.mask(planted.text());

                assertThat(masked).as("offset %s", before.length % 3)
                        .doesNotContain(planted.secretPart())
                        .startsWith("kubectl: data: ")
                        .contains(SecretMasker.MASK);
                assertThat(decodedRuns(masked)).noneMatch(decoded -> decoded.contains("9fQ2xLr7"));
            }
        }
    }

    @Test
    void mask_base64OfWholeSecret_inEveryAlphabetAndPadding() {
        String secret = "p>?~p>?~ab";  // encodes to '+' and '/' in the standard alphabet
        masker.register(secret);
        byte[] bytes = secret.getBytes(UTF_8);

        for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getEncoder().withoutPadding(),
                Base64.getUrlEncoder(), Base64.getUrlEncoder().withoutPadding())) {
            assertThat(masker.mask("Basic " + encoder.encodeToString(bytes) + " end")).isEqualTo("Basic *** end");
        }
    }

    @Test
    void mask_urlQueryString_formEncodedAndPercent20() {
        String secret = "p@ss w/rd+&=?\u00e9";
        masker.register(secret);
        String form = URLEncoder.encode(secret, UTF_8);

        assertThat(form).isEqualTo("p%40ss+w%2Frd%2B%26%3D%3F%C3%A9");
        assertThat(masker.mask("GET /v1/items?user=ci&password=" + form + "&page=2"))
                .isEqualTo("GET /v1/items?user=ci&password=***&page=2");
        assertThat(masker.mask("GET /v1/items?password=p%40ss%20w%2Frd%2B%26%3D%3F%C3%A9&page=2"))
                .isEqualTo("GET /v1/items?password=***&page=2");
    }

    @Test
    void mask_jsonEscapedPemKey_isOneMask() {
        String pem = pem(7);
        masker.register(pem);
        String json = "{\"type\":\"service_account\",\"private_key\":\"" + pem.replace("\n", "\\n") + "\",\"id\":\"42\"}";

        assertThat(masker.mask(json)).isEqualTo("{\"type\":\"service_account\",\"private_key\":\"***\",\"id\":\"42\"}");
    }

    @Test
    void mask_eachLineOfPemPrintedAlone_isMasked() {
        String pem = pem(11);
        masker.register(pem);
        List<String> lines = pem.lines().toList();

        for (String line : lines) {
            assertThat(masker.mask("[stage deploy] " + line + "\r\n")).isEqualTo("[stage deploy] ***\r\n");
        }
        String crlf = String.join("\r\n", lines);
        assertThat(masker.mask(crlf)).isEqualTo(String.join("\r\n", lines.stream().map(l -> "***").toList()));
    }

    @Test
    void mask_multiLineSecretWithShortLine_masksWholeValueButNotShortLineAlone() {
        String secret = "user: deployer\nv2\npass: Kq83-xx";
        masker.register(secret);

        assertThat(masker.mask(secret)).isEqualTo("***");
        assertThat(masker.mask("pass: Kq83-xx")).isEqualTo("***");
        assertThat(masker.mask("v2")).isEqualTo("v2");
    }

    @Test
    void mask_jsonEscapesOfSpecialCharacters_asLibrariesWriteThem() {
        String secret = "a\"b\\c/d<e\u0001f\u00e9g\uD83D\uDE00h";
        masker.register(secret);

        List<String> escaped = List.of(
                "a\\\"b\\\\c/d<e\\u0001f\u00e9g\uD83D\uDE00h",                // Jackson, default
                "a\\\"b\\\\c/d<e\\u0001f\\u00e9g\\ud83d\\ude00h",           // Python, ensure_ascii
                "a\\\"b\\\\c/d<e\\u0001f\\u00E9g\\uD83D\\uDE00h",           // Jackson, ESCAPE_NON_ASCII
                "a\\\"b\\\\c\\/d<e\\u0001f\u00e9g\uD83D\uDE00h",              // escaped slash
                "a\\\"b\\\\c/d\\u003ce\\u0001f\u00e9g\uD83D\uDE00h");         // Gson, HTML-safe
        for (String form : escaped) {
            assertThat(masker.mask("{\"v\":\"" + form + "\"}")).as(form).isEqualTo("{\"v\":\"***\"}");
        }
    }

    @Test
    void mask_unicodeSecret_rawBase64UrlAndJson() {
        String secret = "p\u00e4ssw\u00f6rd-\u79d8\u5bc6-\uD83D\uDE00";
        masker.register(secret);

        assertThat(masker.mask("pw=" + secret + ".")).isEqualTo("pw=***.");
        assertThat(masker.mask("pw=" + base64(secret) + ".")).isEqualTo("pw=***.");
        assertThat(masker.mask("pw=" + URLEncoder.encode(secret, UTF_8) + ".")).isEqualTo("pw=***.");
        assertThat(masker.mask("\"p\\u00e4ssw\\u00f6rd-\\u79d8\\u5bc6-\\ud83d\\ude00\""))
                .isEqualTo("\"***\"");
    }

    @Test
    void mask_overlappingSecrets_masksUnionOfRanges() {
        masker.register("abcdef12");
        masker.register("ef12ghij");
        masker.register("cdef");

        assertThat(masker.mask("xx abcdef12ghij yy")).isEqualTo("xx *** yy");
        assertThat(masker.mask("xx ef12ghijabcdef12 yy")).isEqualTo("xx ****** yy");
        assertThat(masker.mask("xx cdef yy abcdef12")).isEqualTo("xx *** yy ***");
    }

    @Test
    void mask_secretInsideLongerSecret_longestWins() {
        masker.register("inner-key");
        masker.register("outer-inner-key-outer");

        assertThat(masker.mask("(outer-inner-key-outer)")).isEqualTo("(***)");
        assertThat(masker.mask("(inner-key)")).isEqualTo("(***)");
    }

    @Test
    void mask_alreadyMaskedText_isUnchanged() {
        masker.register(TOKEN);
        masker.register(pem(3));
        String once = masker.mask("a " + TOKEN + " b " + base64("x" + TOKEN) + "\n" + pem(3));

        assertThat(masker.mask(once)).isEqualTo(once);
    }

    @Test
    void mask_emptyText_isEmpty() {
        masker.register(TOKEN);

        assertThat(masker.mask("")).isEmpty();
    }

    @Test
    void mask_secretContainingMaskCharacters_replacesEveryOccurrence() {
        masker.register("a***");

        // The neighbouring "a" and the mask spell the secret; no character of it is shown.
        assertThat(masker.mask("xa***y")).isEqualTo("x***y");
        assertThat(masker.mask("aa***")).isEqualTo("a***");
    }

    @Test
    void mask_manySecretsInLongText_isFast() {
        Random random = new Random(5);
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            secrets.add(randomToken(random, 32));
        }
        secrets.forEach(masker::register);
        StringBuilder text = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        while (text.length() < 4_000_000) {
            String noise = randomToken(random, 70) + ' ';
            text.append(noise);
            expected.append(noise);
            if (random.nextInt(50) == 0) {
                text.append(secrets.get(random.nextInt(secrets.size()))).append('\n');
                expected.append("***\n");
            }
        }

        // A scan per secret and form would take minutes: 4 million characters times 20,000 forms.
        String masked = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> masker.mask(text.toString()));

        assertThat(masked).isEqualTo(expected.toString());
    }

    @Test
    void mask_whileOtherThreadsRegister_masksEverySecretRegisteredBefore() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String secret = "secret-" + i + "-" + TOKEN;
                results.add(pool.submit(() -> {
                    masker.register(secret);
                    return masker.mask("[" + secret + "]");
                }));
            }
            for (Future<String> result : results) {
                assertThat(result.get()).isEqualTo("[***]");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- throwables

    @Test
    void maskThrowable_masksMessageAndCauseChain() {
        masker.register(TOKEN);
        var cause = new UncheckedIOException("login with " + TOKEN + " refused", new IOException("401 for " + TOKEN));
        var thrown = new IllegalStateException("deploy failed: " + TOKEN, cause);

        assertThat(masker.mask(thrown)).isEqualTo("""
                java.lang.IllegalStateException: deploy failed: ***
                Caused by: java.io.UncheckedIOException: login with *** refused
                Caused by: java.io.IOException: 401 for ***""");
    }

    @Test
    void maskStackTrace_masksCausesAndSuppressed() {
        masker.register(TOKEN);
        var thrown = new IllegalStateException("with " + TOKEN, new IOException("cause " + TOKEN));
        thrown.addSuppressed(new IOException("suppressed " + TOKEN));

        String trace = masker.maskStackTrace(thrown);

        assertThat(trace).doesNotContain(TOKEN).contains("with ***", "cause ***", "suppressed ***", "\tat ");
    }

    // ---------------------------------------------------------------- streams

    @Test
    void stream_secretSplitAcrossChunks_isMasked() {
        masker.register(TOKEN);
        List<String> received = new ArrayList<>();
        SecretMasker.Stream stream = masker.stream(received::add);

        stream.write("login ok\ntoken: tok_9f");
        stream.write("Q2xLr");
        stream.write("7ZkP4wNs8\ndone\n");
        stream.close();

        assertThat(String.join("", received)).isEqualTo("login ok\ntoken: ***\ndone\n");
    }

    @Test
    void stream_passesOnTextThatCannotBeginASecretAtOnce() {
        masker.register(TOKEN);
        List<String> received = new ArrayList<>();
        SecretMasker.Stream stream = masker.stream(received::add);

        stream.write("Password: ");
        stream.write("building...\nto");

        assertThat(received).containsExactly("Password: ", "building...\n");
        stream.write("k_9fQ2xLr7ZkP4wNs8");
        assertThat(received).containsExactly("Password: ", "building...\n", "***");
        stream.close();
        assertThat(received).containsExactly("Password: ", "building...\n", "***");
    }

    @Test
    void stream_secretOnEightKibibyteBufferEdge_isMasked() {
        masker.register(TOKEN);
        String filler = "x".repeat(8192 - 7);
        String text = filler + TOKEN + "\n";
        StringBuilder received = new StringBuilder();

        try (SecretMasker.Stream stream = masker.stream(received::append)) {
            stream.write(text.substring(0, 8192));
            stream.write(text.substring(8192));
        }

        assertThat(received.toString()).isEqualTo(filler + "***\n");
    }

    @Test
    void stream_secretRegisteredWhileOpen_masksHeldBackAndLaterText() {
        masker.register("tok_9fQ2-rotated");
        StringBuilder received = new StringBuilder();
        SecretMasker.Stream stream = masker.stream(received::append);

        // "tok_9fQ2" may begin the first secret, so it is held back; the text before is out.
        stream.write("first " + TOKEN + " then tok_9fQ2");
        assertThat(received.toString()).isEqualTo("first " + TOKEN + " then ");
        masker.register(TOKEN);
        stream.write("xLr7ZkP4wNs8 and " + TOKEN + ".");
        stream.close();

        assertThat(received.toString()).isEqualTo("first " + TOKEN + " then *** and ***.");
    }

    @Test
    void stream_secretRegisteredWhileMaskIsOpen_stillSwallowsTheRestOfTheMatch() {
        masker.register("KEY-1234");
        masker.register("1234-more");
        StringBuilder received = new StringBuilder();
        SecretMasker.Stream stream = masker.stream(received::append);

        // The mask is out, but "1234" is held back: it may begin "1234-more".
        stream.write("(KEY-1234");
        assertThat(received.toString()).isEqualTo("(***");
        masker.register("unrelated");
        stream.write(").");
        stream.close();

        assertThat(received.toString()).isEqualTo("(***).");
    }

    @Test
    void stream_writeAfterClose_fails_andCloseTwiceIsHarmless() {
        SecretMasker.Stream stream = masker.stream(text -> { });
        stream.close();
        stream.close();

        assertThatThrownBy(() -> stream.write("x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the stream is closed");
    }

    // ---------------------------------------------------------------- helpers

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
    }

    private static String randomToken(Random random, int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        StringBuilder token = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            token.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return token.toString();
    }

    /** What every maximal run of base64 characters in {@code text} decodes to, at each alignment. */
    private static List<String> decodedRuns(String text) {
        List<String> decoded = new ArrayList<>();
        for (String run : text.split("[^A-Za-z0-9+/_-]+")) {
            for (int skip = 0; skip < 4 && skip < run.length(); skip++) {
                String aligned = run.substring(skip, skip + (run.length() - skip) / 4 * 4)
                        .replace('-', '+').replace('_', '/');
                decoded.add(new String(Base64.getDecoder().decode(aligned), UTF_8));
            }
        }
        return decoded;
    }
}
