package dev.pipewright.run;

import static dev.pipewright.run.ReportFixtures.NASTY;
import static dev.pipewright.run.ReportFixtures.PIPELINE;
import static dev.pipewright.run.ReportFixtures.RUN_ID;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.spi.Attachment;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import dev.pipewright.spi.StageOutcome;
import dev.pipewright.spi.StageResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

class JunitReportTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:15:00.789Z");
    /** NASTY as XML keeps it: control characters, escape sequences and the lone surrogate gone. */
    private static final String NASTY_IN_XML = "<&\"]]> 'quoted' bell red café ✓ 😀  end";

    @TempDir
    Path dir;

    private JunitReport report(Path file) {
        return new JunitReport(file, Clock.fixed(T0, ZoneOffset.UTC));
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> children = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                children.add(e);
            }
        }
        return children;
    }

    private static Element only(Element parent, String name) {
        List<Element> c = children(parent, name);
        assertThat(c).as("<%s> in <%s>", name, parent.getTagName()).hasSize(1);
        return c.get(0);
    }

    private static List<Element> suites(Document doc) {
        return children(doc.getDocumentElement(), "testsuite");
    }

    private static String counts(Element e) {
        return e.getAttribute("tests") + "/" + e.getAttribute("failures") + "/" + e.getAttribute("errors") + "/"
                + e.getAttribute("skipped");
    }

    private static String property(Element suite, String name) {
        return children(only(suite, "properties"), "property").stream().filter(p -> p.getAttribute("name").equals(name))
                .map(p -> p.getAttribute("value")).findFirst().orElse(null);
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content, UTF_8);
    }

    private static String suiteXml(String name, int passed, int failed) {
        StringBuilder b = new StringBuilder("  <testsuite name=\"" + name + "\" tests=\"" + (passed + failed)
                + "\" time=\"1.5\">\n");
        for (int i = 0; i < passed; i++) {
            b.append("    <testcase classname=\"").append(name).append("\" name=\"passes").append(i)
                    .append("\" time=\"0.1\"/>\n");
        }
        for (int i = 0; i < failed; i++) {
            b.append("    <testcase classname=\"").append(name).append("\" name=\"fails").append(i).append("\">\n")
                    .append("      <failure message=\"boom\" type=\"java.lang.AssertionError\"><![CDATA[at ")
                    .append(name).append("]]></failure>\n    </testcase>\n");
        }
        return b.append("  </testsuite>\n").toString();
    }

    @Test
    void runFinished_wholeRun_writesOneCasePerStageThenPerHook() throws Exception {
        Path file = dir.resolve("run").resolve(JunitReport.FILE_NAME);
        JunitReport report = report(file);

        report.runStarted(ReportFixtures.runInfo(Optional.of(dir)));
        report.stageQueued("build");
        report.stageStarted("build", 1);
        report.stageOutput("build", "compiling");
        report.stageFinished(ReportFixtures.stages().get(0));
        report.stageStarted("test", 1);
        report.stageOutput("test", "first try");
        report.stageRetrying("test", 2, Duration.ofSeconds(2), "exit code 1");
        report.stageStarted("test", 2);
        report.stageOutput("test", "second try");
        report.stageFinished(ReportFixtures.stages().get(1));
        report.approvalRequested(ReportFixtures.approvalRequest());
        report.approvalDecided(ReportFixtures.approvalRequest(), ReportFixtures.approval());
        report.stageFinished(ReportFixtures.stages().get(2));
        report.stageFinished(ReportFixtures.stages().get(3));
        report.stageStarted("pipeline:always", 1);
        report.stageOutput("pipeline:always", "cleaning up");
        report.hookFinished(ReportFixtures.hooks().get(0));
        report.runFinished(ReportFixtures.runResult(RunStatus.FAILED, Optional.of(dir)));

        Document doc = parse(file);
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("name")).isEqualTo(PIPELINE);
        assertThat(counts(root)).isEqualTo("5/1/0/2");
        Element suite = only(root, "testsuite");
        assertThat(suite.getAttribute("name")).isEqualTo(PIPELINE);
        assertThat(counts(suite)).isEqualTo("5/1/0/2");
        assertThat(suite.getAttribute("time")).isEqualTo("62.000");
        assertThat(root.getAttribute("time")).isEqualTo("62.000");
        assertThat(suite.getAttribute("timestamp")).isEqualTo("2026-11-26T10:15:00");
        assertThat(property(suite, "pipewright.run.id")).isEqualTo(RUN_ID);
        assertThat(property(suite, "pipewright.run.status")).isEqualTo("FAILED");
        assertThat(property(suite, "pipewright.branch")).isEqualTo("master");
        assertThat(property(suite, "pipewright.commit")).isEqualTo("4f1c2d3e4f5a6b7c8d9e");

        List<Element> cases = children(suite, "testcase");
        assertThat(cases).extracting(c -> c.getAttribute("name"))
                .containsExactly("build", "test", "deploy-staging", "deploy-production", "pipeline:always");
        assertThat(cases).extracting(c -> c.getAttribute("classname")).containsOnly(PIPELINE);
        assertThat(cases).extracting(c -> c.getAttribute("time"))
                .containsExactly("3.400", "8.123", "0.000", "0.000", "0.100");

        Element build = cases.get(0);
        assertThat(children(build, "failure")).isEmpty();
        assertThat(children(build, "skipped")).isEmpty();
        assertThat(only(build, "system-out").getTextContent()).isEqualTo("compiling\n");

        Element failure = only(cases.get(1), "failure");
        assertThat(failure.getAttribute("type")).isEqualTo("FAILED");
        assertThat(failure.getAttribute("message")).isEqualTo(NASTY_IN_XML);
        assertThat(failure.getTextContent()).isEqualTo(NASTY_IN_XML + "\nexit code: 1\nattempts: 2");
        assertThat(only(cases.get(1), "system-out").getTextContent())
                .isEqualTo("first try\n--- attempt 2 ---\nsecond try\n");

        assertThat(only(cases.get(2), "skipped").getAttribute("message"))
                .isEqualTo("approval 'approve-staging' refused");
        assertThat(only(cases.get(3), "skipped").getAttribute("message")).isEqualTo("needs deploy-staging");
        assertThat(children(cases.get(3), "system-out")).isEmpty();
        assertThat(only(cases.get(4), "system-out").getTextContent()).isEqualTo("cleaning up\n");
    }

    @Test
    void runFinished_everyOutcome_mapsToFailureSkippedOrNothing() throws Exception {
        Path file = dir.resolve(JunitReport.FILE_NAME);
        List<StageResult> stages = new ArrayList<>();
        for (StageOutcome o : StageOutcome.values()) {
            stages.add(ReportFixtures.result(o.name().toLowerCase(), o, 1, null, 10, null));
        }
        report(file).runFinished(new RunResult(RUN_ID, PIPELINE, RunStatus.FAILED, Facts.NONE, stages, List.of(),
                Duration.ofSeconds(1), Optional.empty(), Optional.empty()));

        Element suite = suites(parse(file)).get(0);
        assertThat(counts(suite)).isEqualTo("7/3/0/3");
        for (Element c : children(suite, "testcase")) {
            StageOutcome o = StageOutcome.valueOf(c.getAttribute("name").toUpperCase());
            switch (o) {
                case FAILED:
                case TIMED_OUT:
                case ROLLED_BACK:
                    assertThat(only(c, "failure").getAttribute("type")).isEqualTo(o.name());
                    assertThat(only(c, "failure").getAttribute("message"))
                            .isEqualTo(o.name().toLowerCase().replace('_', ' '));
                    break;
                case CANCELLED:
                case SKIPPED:
                case REFUSED:
                    assertThat(only(c, "skipped").getAttribute("message")).isEqualTo(o.name().toLowerCase());
                    break;
                default:
                    assertThat(c.getChildNodes().getLength()).isZero();
            }
        }
    }

    @Test
    void runFinished_nastyText_isEscapedAndStrippedToValidXml() throws Exception {
        Path file = dir.resolve(JunitReport.FILE_NAME);
        JunitReport report = report(file);
        report.stageOutput("test", NASTY);
        report.stageOutput("test",
                "]]>]]> <![CDATA[ x ]]> &amp; \u0000\u001F\uFFFE\uFFFF\uDC00 \u001B]0;title\u0007ok");

        report.runFinished(ReportFixtures.runResult(RunStatus.FAILED, Optional.empty()));

        String raw = Files.readString(file, UTF_8);
        assertThat(raw).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
        // The JDK writes characters beyond the BMP as one character reference, never as two halves.
        assertThat(raw).contains("café ✓ &#128512;").doesNotContain("&#55357;", "\u0001", "\u001B");
        Element suite = suites(parse(file)).get(0);
        Element test = children(suite, "testcase").get(1);
        assertThat(only(test, "system-out").getTextContent())
                .isEqualTo(NASTY_IN_XML + "\n]]>]]> <![CDATA[ x ]]> &amp;  ok\n");
        assertThat(property(suite, "pipewright.run.message")).isEqualTo("stage 'test' failed");
    }

    @Test
    void stageOutput_moreThanTheLimit_keepsTheLastLinesAndSaysSo() throws Exception {
        Path file = dir.resolve(JunitReport.FILE_NAME);
        JunitReport report = report(file);
        int total = JunitReport.MAX_LINES + 500;
        for (int i = 0; i < total; i++) {
            report.stageOutput("build", "line " + i);
        }
        report.runFinished(ReportFixtures.runResult(RunStatus.SUCCEEDED, Optional.empty()));

        String out = only(children(suites(parse(file)).get(0), "testcase").get(0), "system-out").getTextContent();
        List<String> lines = out.lines().collect(Collectors.toList());
        assertThat(lines).hasSize(JunitReport.MAX_LINES + 1);
        assertThat(lines.get(0)).contains("500 earlier lines left out").contains("last " + JunitReport.MAX_LINES);
        assertThat(lines.get(1)).isEqualTo("line 500");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("line " + (total - 1));
    }

    @Test
    void stageOutput_longLines_keepAtMostTheCharacterBudget() throws Exception {
        Path file = dir.resolve(JunitReport.FILE_NAME);
        JunitReport report = report(file);
        String longLine = "x".repeat(64 * 1024);
        for (int i = 0; i < 100; i++) {
            report.stageOutput("build", i + longLine);
        }
        report.runFinished(ReportFixtures.runResult(RunStatus.SUCCEEDED, Optional.empty()));

        String out = only(children(suites(parse(file)).get(0), "testcase").get(0), "system-out").getTextContent();
        assertThat(out.length()).isLessThanOrEqualTo(JunitReport.MAX_CHARS + 1000);
        assertThat(out).startsWith("[").contains("earlier lines left out");
        assertThat(out.lines().reduce((a, b) -> b).orElseThrow()).startsWith("99x");
    }

    @Test
    void runFinished_attachedTestResults_areMergedAfterThePipelineSuite() throws Exception {
        Path single = write("single/TEST-dev.acme.ParserTest.xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + suiteXml("dev.acme.ParserTest", 2, 1));
        Path folder = dir.resolve("surefire-reports");
        write("surefire-reports/TEST-a.xml", "<testsuites>\n" + suiteXml("dev.acme.A", 3, 0)
                + suiteXml("dev.acme.B", 1, 1) + "</testsuites>\n");
        write("surefire-reports/nested/deeper/TEST-c.xml",
                "<testsuite xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                        + " xsi:noNamespaceSchemaLocation=\"junit.xsd\" name=\"dev.acme.C\" package=\"dev.acme\">"
                        + "<properties><property name=\"java.version\" value=\"17\"/></properties>"
                        + "<testcase name=\"skips\"><skipped/></testcase></testsuite>");
        write("surefire-reports/TEST-a.txt", "not xml, not searched");
        Path file = dir.resolve("run").resolve(JunitReport.FILE_NAME);
        JunitReport report = report(file);

        report.runStarted(ReportFixtures.runInfo(Optional.empty()));
        report.attached("unit", Attachment.testResults(single));
        report.attached("integration", Attachment.testResults(folder));
        report.attached("integration", Attachment.artifact(dir.resolve("app.jar")));
        report.runFinished(ReportFixtures.runResult(RunStatus.FAILED, Optional.empty()));

        Document doc = parse(file);
        List<Element> suites = suites(doc);
        assertThat(suites).extracting(s -> s.getAttribute("name"))
                .containsExactly(PIPELINE, "dev.acme.ParserTest", "dev.acme.A", "dev.acme.B", "dev.acme.C");
        assertThat(suites.subList(1, 5)).extracting(s -> s.getAttribute("package"))
                .containsExactly("unit", "integration", "integration", "dev.acme");
        assertThat(suites.subList(1, 5)).extracting(s -> property(s, JunitReport.STAGE_PROPERTY))
                .containsExactly("unit", "integration", "integration", "integration");
        assertThat(property(suites.get(4), "java.version")).isEqualTo("17");
        // Counts a suite lacked are filled in; those it had are kept.
        assertThat(suites.subList(1, 5)).extracting(JunitReportTest::counts)
                .containsExactly("3/1/0/0", "3/0/0/0", "2/1/0/0", "1/0/0/1");
        assertThat(suites.get(4).hasAttribute("xsi:noNamespaceSchemaLocation")).isFalse();
        assertThat(children(suites.get(1), "testcase")).hasSize(3);
        assertThat(only(children(suites.get(1), "testcase").get(2), "failure").getTextContent())
                .isEqualTo("at dev.acme.ParserTest");
        // 5 stage cases (1 failed, 2 skipped) + 3 + 3 + 2 + 1 imported (2 failed, 1 skipped)
        assertThat(counts(doc.getDocumentElement())).isEqualTo("14/3/0/3");
        assertThat(doc.getDocumentElement().getAttribute("time")).isEqualTo("66.500");

        String raw = Files.readString(file, UTF_8);
        assertThat(raw).doesNotContain("\n\n").contains("\n    <testcase");
    }

    @Test
    void runFinished_sameResultsAttachedTwice_areImportedOnce() throws Exception {
        Path folder = dir.resolve("results");
        Path one = write("results/TEST-a.xml", suiteXml("dev.acme.A", 1, 0));
        Path file = dir.resolve(JunitReport.FILE_NAME);
        JunitReport report = report(file);

        report.attached("test", Attachment.testResults(folder));
        report.attached("test", Attachment.testResults(one));
        report.runFinished(ReportFixtures.runResult(RunStatus.SUCCEEDED, Optional.empty()));

        assertThat(suites(parse(file))).extracting(s -> s.getAttribute("name")).containsExactly(PIPELINE,
                "dev.acme.A");
    }

    @Test
    void runFinished_unreadableResults_becomeErrorCasesNamingFileAndProblem() throws Exception {
        Path broken = write("results/TEST-broken.xml", "<testsuite name=\"x\">\n  <testcase name=\"a\">\n</testsuite>");
        Path html = write("results/index.xml", "<html><body>not junit</body></html>");
        Path empty = write("results/empty.xml", "");
        Path missing = dir.resolve("no-such-results.xml");
        Path file = dir.resolve(JunitReport.FILE_NAME);
        JunitReport report = report(file);
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();

        report.attached("test", Attachment.testResults(dir.resolve("results")));
        report.attached("lint", Attachment.testResults(missing));
        System.setErr(new PrintStream(captured, true, UTF_8));
        try {
            report.runFinished(ReportFixtures.runResult(RunStatus.FAILED, Optional.empty()));
        } finally {
            System.setErr(stderr);
        }

        assertThat(captured.toString(UTF_8)).as("nothing printed to stderr").isEmpty();
        Document doc = parse(file);
        List<Element> suites = suites(doc);
        assertThat(suites).hasSize(2);
        Element errors = suites.get(1);
        assertThat(errors.getAttribute("name")).isEqualTo(PIPELINE + ": unreadable test results");
        assertThat(counts(errors)).isEqualTo("4/0/4/0");
        List<Element> cases = children(errors, "testcase");
        // The folder's files in name order, then the missing file.
        assertThat(cases).extracting(c -> c.getAttribute("name")).containsExactly(broken.toString(),
                empty.toString(), html.toString(), missing.toString());
        assertThat(cases).extracting(c -> c.getAttribute("classname")).containsExactly("test", "test", "test", "lint");
        Element notWellFormed = only(cases.get(0), "error");
        assertThat(notWellFormed.getAttribute("type")).isEqualTo("NotWellFormed");
        assertThat(notWellFormed.getAttribute("message"))
                .startsWith(broken + ": not well-formed XML at line 3, column ");
        assertThat(notWellFormed.getTextContent()).isEqualTo(notWellFormed.getAttribute("message"));
        assertThat(only(cases.get(1), "error").getAttribute("message")).contains("line 1, column 1");
        assertThat(only(cases.get(2), "error").getAttribute("type")).isEqualTo("NotJUnit");
        assertThat(only(cases.get(2), "error").getAttribute("message")).contains(html.toString(), "<html>");
        assertThat(only(cases.get(3), "error").getAttribute("message")).isEqualTo(missing + ": does not exist");
        assertThat(counts(doc.getDocumentElement())).isEqualTo("9/1/4/2");
    }

    @Test
    void runFinished_resultsWithExternalEntity_refuseTheDoctypeAndLeakNothing() throws Exception {
        Path secret = write("secret.txt", "TOP-SECRET-VALUE");
        Path evil = write("results/TEST-evil.xml", "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE testsuite [ <!ENTITY xxe SYSTEM \"" + secret.toUri() + "\"> ]>\n"
                + "<testsuite name=\"evil\"><testcase name=\"&xxe;\"/></testsuite>");
        Path laughs = write("results/TEST-laughs.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE testsuite [\n"
                + " <!ENTITY a \"aaaaaaaaaa\">\n <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
                + " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n]>\n<testsuite name=\"&c;\"/>");
        Path file = dir.resolve(JunitReport.FILE_NAME);
        JunitReport report = report(file);

        report.attached("test", Attachment.testResults(evil));
        report.attached("test", Attachment.testResults(laughs));
        report.runFinished(ReportFixtures.runResult(RunStatus.FAILED, Optional.empty()));

        String raw = Files.readString(file, UTF_8);
        assertThat(raw).doesNotContain("TOP-SECRET-VALUE").doesNotContain("aaaaaaaaaa");
        List<Element> cases = children(suites(parse(file)).get(1), "testcase");
        assertThat(cases).hasSize(2);
        for (Element c : cases) {
            assertThat(only(c, "error").getAttribute("message")).contains("not well-formed XML at line 2")
                    .containsIgnoringCase("DOCTYPE");
        }
    }

    @Test
    void runFinished_xml11ResultsWithControlCharacters_importThemStripped() throws Exception {
        Path results = write("TEST-xml11.xml", "<?xml version=\"1.1\" encoding=\"UTF-8\"?>\n"
                + "<testsuite name=\"dev.acme.Old\"><testcase name=\"a&#1;b\"><system-out>x&#2;y</system-out>"
                + "</testcase></testsuite>");
        Path file = dir.resolve(JunitReport.FILE_NAME);
        JunitReport report = report(file);

        report.attached("test", Attachment.testResults(results));
        report.runFinished(ReportFixtures.runResult(RunStatus.SUCCEEDED, Optional.empty()));

        Element imported = suites(parse(file)).get(1);
        Element c = only(imported, "testcase");
        assertThat(c.getAttribute("name")).isEqualTo("ab");
        assertThat(only(c, "system-out").getTextContent()).isEqualTo("xy");
    }

    @Test
    void runFinished_existingReport_isReplacedLeavingNoTemporaryFile() throws Exception {
        Path file = dir.resolve(JunitReport.FILE_NAME);
        Files.writeString(file, "<old/>");

        report(file).runFinished(ReportFixtures.runResult(RunStatus.SUCCEEDED, Optional.empty()));

        assertThat(parse(file).getDocumentElement().getTagName()).isEqualTo("testsuites");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void runFinished_unwritableFile_throwsUncheckedIoExceptionNamingIt() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
        Path file = notAFolder.resolve(JunitReport.FILE_NAME);

        assertThatThrownBy(() -> report(file).runFinished(ReportFixtures.runResult(RunStatus.FAILED,
                Optional.empty()))).isInstanceOf(UncheckedIOException.class).hasMessageContaining(file.toString());
    }

    @Test
    void stageOutput_fromManyThreads_isKeptWholeAndInOrderPerStage() throws Exception {
        Path file = dir.resolve(JunitReport.FILE_NAME);
        JunitReport report = report(file);
        List<String> stages = List.of("build", "test", "deploy-staging", "deploy-production");
        int each = 1_500;
        ExecutorService pool = Executors.newFixedThreadPool(stages.size());
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (String stage : stages) {
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        report.stageOutput(stage, stage + " line " + i);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        report.runFinished(ReportFixtures.runResult(RunStatus.FAILED, Optional.empty()));

        List<Element> cases = children(suites(parse(file)).get(0), "testcase");
        for (int s = 0; s < stages.size(); s++) {
            String stage = stages.get(s);
            List<String> expected = IntStream.range(0, each).mapToObj(i -> stage + " line " + i)
                    .collect(Collectors.toList());
            assertThat(only(cases.get(s), "system-out").getTextContent().lines()).containsExactlyElementsOf(expected);
        }
    }
}
