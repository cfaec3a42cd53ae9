package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SecretTextTest {
    private final SecretScanner scanner = SecretScanner.defaults();

    @Test
    void scanWindows_corpusFiles_findWhatAWholeScanFinds() throws IOException {
        SecretText small = new SecretText(300, 4000);
        int compared = 0;
        for (SecretCorpus.File file : new SecretCorpus(5).generate(60).files()) {
            List<SecretFinding> whole = scanner.scan(file.path(), file.content());
            List<SecretFinding> windows =
                    small.scanWindows(scanner, file.path(), new StringReader(file.content()));

            assertThat(windows).as(file.path()).isEqualTo(whole);
            compared += whole.size();
        }
        assertThat(compared).isGreaterThan(50);
    }

    @Test
    void scanUtf8_corpusFilesAsciiOrNot_findWhatAScanOfTheirTextFinds() {
        int compared = 0;
        for (SecretCorpus.File file : new SecretCorpus(6).generate(60).files()) {
            for (String content : List.of(file.content(), "caf\u00e9 \u20ac \ud83d\ude00\n" + file.content())) {
                byte[] bytes = content.getBytes(StandardCharsets.UTF_8);

                assertThat(scanner.scanUtf8(file.path(), bytes)).as(file.path())
                        .isEqualTo(scanner.scan(file.path(), content));
                compared += scanner.scan(file.path(), content).size();
            }
        }
        assertThat(compared).isGreaterThan(50);
    }

    @Test
    void scanWindows_secretAcrossAWindowEdgeOnAVeryLongLine_reportsItsTrueColumn()
            throws IOException {
        String token = FakeSecrets.valid("github-classic-pat", new Random(4)).value();
        String line = "x".repeat(1000) + " " + token + " " + "y".repeat(3000);
        String text = "first\n" + line + "\nlast " + token + "\n";
        SecretText tiny = new SecretText(990, 200);

        List<SecretFinding> findings = tiny.scanWindows(scanner, "min.js", new StringReader(text));

        assertThat(findings).extracting(SecretFinding::line, SecretFinding::column)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, 1002),
                        org.assertj.core.groups.Tuple.tuple(3, 6));
    }

    @Test
    void scan_streamLargerThanAWindow_isScannedInWindowsAndCounted() throws IOException {
        String token = FakeSecrets.valid("npm-token", new Random(5)).value();
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 2000; i++) {
            text.append(i % 500 == 0 ? "NPM_TOKEN=" + token : "line " + i + " of filler text").append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);

        SecretText.Scanned scanned = new SecretText(4096, 1024)
                .scan(scanner, "big.env", new ByteArrayInputStream(bytes));

        assertThat(scanned.bytes()).isEqualTo(bytes.length);
        assertThat(scanned.findings()).extracting(SecretFinding::line)
                .containsExactly(500, 1000, 1500, 2000);
    }

    @Test
    void scan_nulInTheFirstBytes_isBinaryAndNotRead() throws IOException {
        byte[] bytes = new byte[20_000];
        bytes[100] = 0;
        bytes[50] = 'A';

        SecretText.Scanned scanned = new SecretText(4096, 1024)
                .scan(scanner, "logo.png", new ByteArrayInputStream(bytes));

        assertThat(scanned.binary()).isTrue();
        assertThat(scanned.bytes()).isZero();
    }

    @Test
    void scan_malformedUtf8_isReadAsText() throws IOException {
        String token = FakeSecrets.valid("npm-token", new Random(6)).value();
        byte[] prefix = {(byte) 0xC3, (byte) 0x28, ' ', (byte) 0xFF, '\n'};
        byte[] rest = ("NPM_TOKEN=" + token + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[prefix.length + rest.length];
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        System.arraycopy(rest, 0, bytes, prefix.length, rest.length);

        SecretText.Scanned scanned = SecretText.DEFAULT
                .scan(scanner, "latin.env", new ByteArrayInputStream(bytes));

        assertThat(scanned.findings()).extracting(SecretFinding::line, SecretFinding::column)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, 11));
    }
}
