package dev.pipewright.examples.bench;

import static com.google.common.base.Preconditions.checkArgument;

import dev.pipewright.git.SecretScan;
import dev.pipewright.git.SecretScanReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code secrets}: {@link SecretScan#scanFolder} over two generated trees of realistic source text
 * (Java, Python, JavaScript, YAML, JSON, shell, Markdown) with a few planted secrets: a 50 MB tree
 * of large files (5 MB each) and a tree of 10,000 small files (about 3 KB each). Each tree is
 * scanned after a warm-up; the throughput is the tree's size over the median scan time. The
 * baseline, measured in the same run on the same files, is reading every file byte for byte
 * ({@link Files#readAllBytes} while walking the tree), the least any scanner must do; the ratio
 * says how much of that speed scanning keeps. The {@code cpu} metrics divide by the scanning
 * thread's CPU time instead of the wall clock: on a machine shared with other work they say what
 * the scan costs, where the wall clock also counts the time spent waiting for a core.
 */
final class SecretsBenchmark {
    static final String NAME = "secrets";

    /**
     * How big the trees are and how often each is scanned.
     *
     * @param largeFiles how many large files
     * @param largeFileBytes the size of each large file
     * @param smallFiles how many small files
     * @param budget the warm-up and measured scans of each tree
     */
    record Size(int largeFiles, int largeFileBytes, int smallFiles, Harness.Budget budget) {
        /** 10 files of 5 MB, 10,000 files of about 3 KB; 3 s of warm-up and at least 5 scans each. */
        static final Size FULL = new Size(10, 5_000_000, 10_000,
                new Harness.Budget(Duration.ofSeconds(3), 2, Duration.ofSeconds(6), 5, 50));
        /** 2 files of 200 KB and 50 small files, scanned twice without warm-up. */
        static final Size SMOKE = new Size(2, 200_000, 50, Harness.Budget.fixed(Duration.ZERO, 0, 2));

        Size {
            checkArgument(largeFiles > 0 && largeFileBytes > 0 && smallFiles > 0, "sizes must be positive");
        }

        /** {@link #SMOKE} for the smoke scale, else {@link #FULL}. */
        static Size of(Scale scale) {
            return scale == Scale.SMOKE ? SMOKE : FULL;
        }
    }

    /** A generated tree: its folder, how many files and bytes, and how many secrets were planted. */
    record Tree(Path folder, int files, long bytes, int planted) {
    }

    private SecretsBenchmark() {
    }

    /**
     * Generates both trees in a temporary folder, measures, and deletes them.
     *
     * @throws UncheckedIOException if the trees cannot be written or read
     */
    static Report run(Size size) {
        Path root;
        try {
            root = Files.createTempDirectory("pipewright-secrets-bench");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for the secrets benchmark", e);
        }
        try {
            Tree large = write(root.resolve("large"), size.largeFiles(), size.largeFileBytes(), 1);
            Tree small = write(root.resolve("small"), size.smallFiles(), 3_000, 2);
            return measure(large, small, size.budget());
        } finally {
            delete(root);
        }
    }

    static Report measure(Tree large, Tree small, Harness.Budget budget) {
        SecretScan scan = SecretScan.defaults();
        Blackhole blackhole = new Blackhole();
        SecretScanReport largeReport = scan.scanFolder(large.folder());
        SecretScanReport smallReport = scan.scanFolder(small.folder());
        Harness.Samples largeScan = Harness.run(budget, blackhole, () -> scan.scanFolder(large.folder()));
        Harness.Samples largeRead = Harness.run(budget, blackhole, () -> readAll(large.folder()));
        Harness.Samples smallScan = Harness.run(budget, blackhole, () -> scan.scanFolder(small.folder()));
        Harness.Samples smallRead = Harness.run(budget, blackhole, () -> readAll(small.folder()));
        double largeMbs = mbPerSecond(large, largeScan);
        double smallMbs = mbPerSecond(small, smallScan);
        double largeBase = mbPerSecond(large, largeRead);
        double smallBase = mbPerSecond(small, smallRead);
        int cpuRuns = Math.max(1, Math.min(5, budget.minIterations()));
        double largeCpu = mbPerCpuSecond(large, cpuRuns, () -> scan.scanFolder(large.folder()));
        double smallCpu = mbPerCpuSecond(small, cpuRuns, () -> scan.scanFolder(small.folder()));
        double largeBaseCpu = mbPerCpuSecond(large, cpuRuns, () -> readAll(large.folder()));
        double smallBaseCpu = mbPerCpuSecond(small, cpuRuns, () -> readAll(small.folder()));
        String summary = String.format("%s: %d large files, %.1f MB, scanned %d times (median %.0f ms), %d of %d"
                        + " planted secrets found; %d small files, %.1f MB, scanned %d times (median %.0f ms), %d of %d"
                        + " found. Baseline: reading the same files byte for byte.", NAME, large.files(),
                large.bytes() / 1e6, largeScan.count(), largeScan.medianNanos() / 1e6, largeReport.findings().size(),
                large.planted(), small.files(), small.bytes() / 1e6, smallScan.count(),
                smallScan.medianNanos() / 1e6, smallReport.findings().size(), small.planted());
        return new Report(summary, List.of(
                new Result(NAME, "large-files-throughput", largeMbs, "MB/s"),
                new Result(NAME, "small-files-throughput", smallMbs, "MB/s"),
                new Result(NAME, "large-files-baseline-read-throughput", largeBase, "MB/s"),
                new Result(NAME, "small-files-baseline-read-throughput", smallBase, "MB/s"),
                new Result(NAME, "large-files-ratio-to-baseline", largeMbs / largeBase, "x"),
                new Result(NAME, "small-files-ratio-to-baseline", smallMbs / smallBase, "x"),
                new Result(NAME, "large-files-cpu-throughput", largeCpu, "MB/s"),
                new Result(NAME, "small-files-cpu-throughput", smallCpu, "MB/s"),
                new Result(NAME, "large-files-cpu-ratio-to-baseline", largeCpu / largeBaseCpu, "x"),
                new Result(NAME, "small-files-cpu-ratio-to-baseline", smallCpu / smallBaseCpu, "x"),
                new Result(NAME, "large-files-findings", largeReport.findings().size(), "findings"),
                new Result(NAME, "small-files-findings", smallReport.findings().size(), "findings"),
                new Result(NAME, "planted-secrets", large.planted() + small.planted(), "secrets")));
    }

    private static double mbPerSecond(Tree tree, Harness.Samples samples) {
        return tree.bytes() / 1e6 / (samples.medianNanos() / 1e9);
    }

    /**
     * MB per second of this thread's CPU time (user and system), the median of {@code runs}: what the work costs,
     * whatever else the machine runs meanwhile, since the scan uses one thread.
     */
    private static double mbPerCpuSecond(Tree tree, int runs, Supplier<?> operation) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Blackhole blackhole = new Blackhole();
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = threads.getCurrentThreadCpuTime();
            blackhole.consume(operation.get());
            nanos[i] = Math.max(1, threads.getCurrentThreadCpuTime() - start);
        }
        Arrays.sort(nanos);
        return tree.bytes() / 1e6 / (nanos[runs / 2] / 1e9);
    }

    /** Reads every file of the tree, as a scan must: the baseline. */
    static long readAll(Path folder) {
        long[] total = {0};
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    byte[] bytes = Files.readAllBytes(file);
                    long sum = 0;
                    for (byte b : bytes) {
                        sum += b;
                    }
                    total[0] += sum;
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        }
        return total[0];
    }

    /**
     * Writes {@code files} files of about {@code bytes} bytes each: large ones with a planted secret per 500 KB,
     * small ones with one secret in every 50th file.
     */
    static Tree write(Path folder, int files, int bytes, long seed) {
        Random random = new Random(seed);
        long total = 0;
        int planted = 0;
        try {
            for (int i = 0; i < files; i++) {
                Language language = Language.values()[i % Language.values().length];
                Path file = folder.resolve(String.format("module-%03d/src/%s", i % 100, language.fileName(i)));
                Files.createDirectories(file.getParent());
                Text text = text(language, bytes, bytes >= 500_000 || i % 50 == 0, random);
                Files.write(file, text.content().getBytes(StandardCharsets.UTF_8));
                total += Files.size(file);
                planted += text.planted();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark tree " + folder, e);
        }
        return new Tree(folder, files, total, planted);
    }

    record Text(String content, int planted) {
    }

    /** Source text of about {@code bytes} bytes: realistic lines and, if asked, a secret per 500 KB (at least one). */
    static Text text(Language language, int bytes, boolean withSecrets, Random random) {
        StringBuilder out = new StringBuilder(bytes + 1024);
        int secrets = withSecrets ? Math.max(1, bytes / 500_000) : 0;
        List<Integer> at = new ArrayList<>();
        for (int s = 0; s < secrets; s++) {
            at.add(random.nextInt(Math.max(1, bytes - 200)));
        }
        at.sort(null);
        int next = 0;
        while (out.length() < bytes) {
            if (next < at.size() && out.length() >= at.get(next)) {
                out.append(secret(language, next, random)).append('\n');
                next++;
                continue;
            }
            String line = language.line(random);
            out.append(line.replace("%n", Integer.toString(random.nextInt(10_000)))
                    .replace("%w", WORDS.get(random.nextInt(WORDS.size())))).append('\n');
        }
        return new Text(out.toString(), next);
    }

    private static final List<String> WORDS = List.of("order", "invoice", "customer", "basket", "payment",
            "shipment", "refund", "catalog", "review", "account", "session", "address", "voucher");

    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static String random(Random random, String alphabet, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** A planted secret in a format without checksum, as a line of the language. */
    private static String secret(Language language, int n, Random random) {
        String value = switch (n % 4) {
            case 0 -> "AKIA" + random(random, BASE32, 16);
            case 1 -> "sk_live_" + random(random, BASE62, 32);
            case 2 -> "xoxb-" + (100000000000L + random.nextInt(1 << 30)) + "-" + (200000000000L
                    + random.nextInt(1 << 30)) + "-" + random(random, BASE62, 24);
            default -> "AIza" + random(random, BASE62, 35);
        };
        return switch (language) {
            case JAVA -> "    private static final String API_CREDENTIAL = \"" + value + "\";";
            case PYTHON -> "API_CREDENTIAL = \"" + value + "\"";
            case JAVASCRIPT -> "const apiCredential = '" + value + "';";
            case YAML -> "  api_credential: \"" + value + "\"";
            case JSON -> "  \"apiCredential\": \"" + value + "\",";
            case SHELL -> "export API_CREDENTIAL=\"" + value + "\"";
            case MARKDOWN -> "Use the key `" + value + "` for the staging account.";
        };
    }

    /**
     * The languages of the generated files, each with lines typical of it: plain lines, and lines that name keys,
     * tokens, passwords or URLs without holding a secret. One line in {@value #SENSITIVE_ONE_IN} is of the second
     * kind, which gives about 1,500 keyword occurrences per MB: more than real code (the JDK 17 sources
     * have about 510 per MB, the CPython library 440, npm's sources 770), so that the scanner is not measured on
     * text that is easier than real code.
     */
    enum Language {
        JAVA("Service%d.java", List.of(
                "package com.shop.%w;",
                "import java.util.Map;",
                "import java.util.Optional;",
                "import java.util.concurrent.ConcurrentHashMap;",
                "/** Looks up %w records, with a cache in front of the repository. */",
                "public final class %wService {",
                "    private static final Logger LOG = LoggerFactory.getLogger(Service.class);",
                "    private final Map<String, Record> cache = new ConcurrentHashMap<>();",
                "    private final Repository repository;",
                "    public Optional<Record> find(String id) {",
                "        Record cached = cache.get(id);",
                "        if (cached != null) {",
                "            return Optional.of(cached);",
                "        }",
                "        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + \"/%w/\" + id))",
                "                .timeout(Duration.ofSeconds(%n))",
                "                .build();",
                "        for (Map.Entry<String, Record> entry : cache.entrySet()) {",
                "            LOG.debug(\"entry {} expires at {}\", entry.getKey(), entry.getValue().expiry());",
                "        }",
                "        return repository.findById(id).map(r -> { cache.put(id, r); return r; });",
                "    }",
                "    @Override",
                "    public String toString() {",
                "        return \"%wService[\" + repository + \"]\";",
                "    }",
                "    int total = items.stream().mapToInt(Item::quantity).sum() + %n;",
                "    if (total > limit) { throw new IllegalStateException(\"too many %w items: \" + total); }",
                "    // the repository retries %n times before it gives up",
                "}"), List.of(
                "        String token = tokens.current();",
                "                .header(\"Authorization\", \"Bearer \" + token)",
                "    // keys are rotated by the platform team every %n days",
                "    private static final String SECRET_NAME = \"shop/prod/%w\";",
                "    char[] password = console.readPassword(\"Password for %w: \");")),
        PYTHON("handler_%d.py", List.of(
                "import os",
                "import json",
                "import logging",
                "from dataclasses import dataclass",
                "logger = logging.getLogger(__name__)",
                "@dataclass(frozen=True)",
                "class %wRecord:",
                "    id: str",
                "    amount: int = %n",
                "    currency: str = \"GBP\"",
                "def handle(event, context):",
                "    \"\"\"Processes one %w event from the queue.\"\"\"",
                "    records = [%wRecord(**item) for item in event.get(\"items\", [])]",
                "    total = sum(r.amount for r in records)",
                "    if total > %n:",
                "        logger.warning(\"large %w batch: %d\", total)",
                "    for record in records:",
                "        logger.info(\"record %s of %w\", record.id)",
                "    return {\"statusCode\": 200, \"body\": json.dumps({\"count\": len(records)})}",
                "",
                "def _parse(body: str) -> dict:",
                "    return json.loads(body or \"{}\")"), List.of(
                "    token = os.environ[\"API_TOKEN\"]",
                "    secret = client.get_secret_value(SecretId=\"shop/prod/%w\")[\"SecretString\"]",
                "    url = f\"https://api.shop.io/%w/{record.id}\"")),
        JAVASCRIPT("component-%d.js", List.of(
                "import React, { useEffect, useState } from 'react';",
                "export function %wList({ items, onSelect }) {",
                "  const [state, setState] = useState({ loading: true, page: %n });",
                "  useEffect(() => {",
                "    load(state.page).then((data) => setState({ loading: false, data }));",
                "  }, [state.page]);",
                "  if (state.loading) {",
                "    return <Spinner size=\"small\" />;",
                "  }",
                "  return items.map((item) => <Row key={item.id} value={item.value} onClick={onSelect} />);",
                "}",
                "const formatPrice = (pence) => `£${(pence / 100).toFixed(2)}`;",
                "export default %wList;"), List.of(
                "    fetch(`${API_URL}/%w?page=${state.page}`, { headers: { 'x-api-key': apiKey } })",
                "const token = localStorage.getItem('token');")),
        YAML("deployment-%d.yaml", List.of(
                "apiVersion: apps/v1",
                "kind: Deployment",
                "metadata:",
                "  name: %w-api",
                "  labels: { app: %w }",
                "spec:",
                "  replicas: %n",
                "  template:",
                "    spec:",
                "      containers:",
                "        - name: %w",
                "          image: registry.shop.io/%w:1.%n.0",
                "          ports: [{ containerPort: 8080 }]",
                "          resources: { limits: { memory: %nMi } }",
                "          env:",
                "            - name: LOG_LEVEL",
                "              value: info"), List.of(
                "            - name: DB_PASSWORD",
                "                secretKeyRef: { name: %w-db, key: password }",
                "              value: << pipeline.parameters.api_token >>")),
        JSON("settings-%d.json", List.of(
                "{",
                "  \"name\": \"%w\",",
                "  \"version\": \"2.%n.0\",",
                "  \"timeoutMs\": %n,",
                "  \"features\": [\"%w\", \"search\", \"checkout\"],",
                "  \"retries\": %n,",
                "  \"region\": \"eu-west-2\",",
                "}"), List.of(
                "  \"tokenEndpoint\": \"https://auth.shop.io/oauth/token\",",
                "  \"secretRef\": \"%w-prod\",")),
        SHELL("deploy-%d.sh", List.of(
                "#!/usr/bin/env bash",
                "set -euo pipefail",
                "echo \"deploying %w build %n\"",
                "docker build -t registry.shop.io/%w:$CIRCLE_SHA1 .",
                "./gradlew :%w:test --no-daemon",
                "if [ \"$ENVIRONMENT\" = production ]; then",
                "  ./scripts/notify.sh \"%w deployed\"",
                "fi"), List.of(
                "TOKEN=$(vault kv get -field=token secret/ci/%w)",
                "curl -fsS -H \"Authorization: Bearer $TOKEN\" \"$API/%w/health\"")),
        MARKDOWN("README-%d.md", List.of(
                "# The %w service",
                "",
                "Run `./gradlew run` and open the %w page on port %n.",
                "| setting | default |",
                "| --- | --- |",
                "| `timeout` | %n ms |",
                "The service keeps no state of its own; everything lives in the database.",
                "Deploys go through the pipeline: development, then staging, then production."), List.of(
                "The service reads its API key from the `API_KEY` environment variable;",
                "never commit a key or a password: use the secrets manager.",
                "See the [session guide](https://docs.shop.io/session) for tokens and expiry."));

        private final String fileName;
        private final List<String> plain;
        private final List<String> sensitive;

        Language(String fileName, List<String> plain, List<String> sensitive) {
            this.fileName = fileName;
            this.plain = plain;
            this.sensitive = sensitive;
        }

        String fileName(int i) {
            return String.format(fileName, i);
        }

        String line(Random random) {
            List<String> pool = random.nextInt(SENSITIVE_ONE_IN) == 0 ? sensitive : plain;
            return pool.get(random.nextInt(pool.size()));
        }
    }

    /** One line in this many names a key, token, password or URL. */
    static final int SENSITIVE_ONE_IN = 60;

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the benchmark tree " + root, e);
        }
    }
}
