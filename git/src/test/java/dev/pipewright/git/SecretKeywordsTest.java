package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SecretKeywordsTest {
    private static final List<String> WORDS = List.of("password", "sk", "private_key", "://",
            "token", "-----begin rsa private key", "pipewright:allow", "eyj", "api.key");

    /** Each hit as keyword@offset line:lineStart, found by lower-casing and indexOf. */
    private static List<String> naive(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        for (int at = 0; at < lower.length(); at++) {
            for (String word : WORDS) {
                if (lower.startsWith(word, at)) {
                    int line = 1 + (int) text.substring(0, at).chars().filter(c -> c == '\n').count();
                    int lineStart = text.lastIndexOf('\n', at - 1) + 1;
                    out.add(word + "@" + at + " " + line + ":" + lineStart);
                }
            }
        }
        return out;
    }

    private static List<String> found(SecretKeywords keywords, String text) {
        SecretKeywords.Hits hits = keywords.find(text.getBytes(StandardCharsets.ISO_8859_1));
        List<String> out = new ArrayList<>();
        for (int h = 0; h < hits.count; h++) {
            out.add(keywords.words().get(hits.keyword[h]) + "@" + hits.offset[h] + " " + hits.line[h]
                    + ":" + hits.lineStart[h]);
        }
        return out;
    }

    @Test
    void find_randomTextsWithKeywordsInAnyCase_findsWhatIndexOfFinds() {
        SecretKeywords keywords = new SecretKeywords(WORDS);
        Random random = new Random(7);
        String alphabet = "abcdeKkpPsStT_:/.-\n \u00e9\u20acy";
        for (int round = 0; round < 300; round++) {
            StringBuilder text = new StringBuilder();
            while (text.length() < 400) {
                if (random.nextInt(6) == 0) {
                    String word = WORDS.get(random.nextInt(WORDS.size()));
                    StringBuilder cased = new StringBuilder();
                    for (char c : word.toCharArray()) {
                        cased.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
                    }
                    text.append(cased);
                } else {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String s = text.toString();
            List<String> found = found(keywords, s);
            assertThat(found).as(s).containsAll(naive(s));
            // Folding lets a few more through (\u00e9 folds like i): each extra folds to its keyword.
            for (String extra : found) {
                String word = extra.substring(0, extra.lastIndexOf('@'));
                int at = Integer.parseInt(extra.substring(extra.lastIndexOf('@') + 1,
                        extra.lastIndexOf(' ')));
                assertThat(folded(s.substring(at, at + word.length()))).isEqualTo(folded(word));
            }
        }
    }

    private static String folded(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
            out.append((char) ((b | 0x20) & 0x7f));
        }
        return out.toString();
    }

    @Test
    void find_atTheEdgesOfTheText() {
        SecretKeywords keywords = new SecretKeywords(WORDS);

        assertThat(found(keywords, "sk")).containsExactly("sk@0 1:0");
        assertThat(found(keywords, "\nTOKEN")).containsExactly("token@1 2:1");
        assertThat(found(keywords, "x")).isEmpty();
        assertThat(found(keywords, "")).isEmpty();
    }

    @Test
    void anchor_isTheRarestPairInSourceCode() {
        assertThat(SecretKeywords.anchor("password")).isEqualTo(3); // "sw", not "pa" or "as"
        assertThat(SecretKeywords.anchor("private_key")).isEqualTo(7); // "_k"
    }
}
