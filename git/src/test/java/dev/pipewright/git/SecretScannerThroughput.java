package dev.pipewright.git;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Informal throughput run, not a test: {@code java -cp … dev.pipewright.git.SecretScannerThroughput}. */
final class SecretScannerThroughput {
    private SecretScannerThroughput() {}

    public static void main(String[] args) {
        List<SecretCorpus.File> files = new SecretCorpus(1).generate(3000).files();
        StringBuilder big = new StringBuilder();
        long small = 0;
        for (SecretCorpus.File f : files) {
            small += f.content().getBytes(StandardCharsets.UTF_8).length;
            if (!SecretScanner.isSkipped(f.path())) {
                big.append(f.content());
            }
        }
        SecretScanner scanner = SecretScanner.defaults();
        String text = big.toString();
        for (SecretRule rule : scanner.rules()) {
            long t = System.nanoTime();
            java.util.regex.Matcher m = rule.pattern().matcher(text);
            int c = 0;
            while (m.find()) {
                c++;
            }
            System.out.printf("%-32s %6d ms %d matches%n", rule.id(), (System.nanoTime() - t) / 1_000_000, c);
        }
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            int n = 0;
            for (SecretCorpus.File f : files) {
                n += scanner.scan(f.path(), f.content()).size();
            }
            long t1 = System.nanoTime();
            int m = scanner.scan("big.txt", text).size();
            long t2 = System.nanoTime();
            System.out.printf("small files: %d files %.1f MB %.1f MB/s (%d findings); one file %.1f MB"
                    + " %.1f MB/s (%d findings)%n", files.size(), small / 1e6, small / 1e6 / ((t1 - t0) / 1e9),
                    n, text.length() / 1e6, text.length() / 1e6 / ((t2 - t1) / 1e9), m);
        }
    }
}
