package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkNotNull;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.pipewright.Ref;
import dev.pipewright.spi.Attachment;
import dev.pipewright.spi.RunInfo;
import dev.pipewright.spi.RunListener;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.StageOutcome;
import dev.pipewright.spi.StageResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Writes a run's JUnit XML report when the run finishes, in the common Ant/Surefire format that
 * CI servers read (CircleCI's {@code store_test_results}, Jenkins, GitLab):
 *
 * <pre>{@code
 * <testsuites name="housing-api" tests="5" failures="1" errors="0" skipped="1" time="62.000">
 *   <testsuite name="housing-api" tests="3" failures="1" errors="0" skipped="1" time="62.000"
 *       timestamp="2026-11-26T10:15:00">
 *     <properties><property name="pipewright.run.id" value="20261126T101500Z-1a2b3c"/>…</properties>
 *     <testcase classname="housing-api" name="build" time="3.400"><system-out>…</system-out></testcase>
 *     <testcase classname="housing-api" name="test" time="0.200">
 *       <failure message="3 tests failed" type="FAILED">3 tests failed
 * exit code: 1</failure>
 *     </testcase>
 *     <testcase classname="housing-api" name="deploy" time="0.000"><skipped message="needs test"/></testcase>
 *   </testsuite>
 *   <testsuite name="dev.acme.ParserTest" package="test" tests="2" …>…</testsuite>
 * </testsuites>
 * }</pre>
 *
 * <p>The pipeline's suite holds one test case per stage, in the pipeline's order, then one per
 * hook, in the order they ran: {@code FAILED}, {@code TIMED_OUT} and {@code ROLLED_BACK} are
 * failures, {@code CANCELLED}, {@code SKIPPED} and {@code REFUSED} are skipped. Each case holds
 * its stage's output (the last {@value #MAX_LINES} lines of every attempt, at most {@value
 * #MAX_CHARS} characters, with a first line saying how many were left out). Terminal escape
 * sequences (colours) are removed from output and messages. The timestamp is the run's start in
 * UTC, without a zone, as the format wants.
 *
 * <p>Test results that steps attached ({@link Attachment.Kind#TEST_RESULTS}: a file, or a folder
 * searched recursively for {@code *.xml}) follow, each {@code <testsuite>} of each file as it was
 * (whether the file's root is {@code <testsuite>} or {@code <testsuites>}), with a {@code
 * package} naming the stage that attached it unless it had one, a property {@value
 * #STAGE_PROPERTY} naming the stage always, and the counts ({@code tests}, {@code failures},
 * {@code errors}, {@code skipped}) it lacked. A file attached twice (or inside two attached
 * folders) is merged once. The report's totals count every case it holds.
 *
 * <p>A file that cannot be read, is not well-formed XML or is not JUnit XML becomes an error
 * case, named after the file and saying why (with line and column for a parse error), in a last
 * suite named {@code <pipeline>: unreadable test results}. Attached files are parsed with
 * DOCTYPEs refused, so no external entity, DTD or entity expansion can happen: a file with a
 * DOCTYPE is an error case too.
 *
 * <p>Characters XML 1.0 cannot hold (control characters, unpaired surrogates, U+FFFE, U+FFFF)
 * are removed from every text and attribute, the merged files' included. The file is written as
 * UTF-8 and replaced atomically.
 *
 * <p>Thread-safe: output from concurrent stages is kept per stage.
 */
final class JunitReport implements RunListener {
    /** The name the report usually has in the run folder. */
    static final String FILE_NAME = "junit.xml";
    /** The most output lines kept per stage (or hook). */
    static final int MAX_LINES = 2_000;
    /** The most output characters kept per stage (or hook): lines may be 64 KiB long each. */
    static final int MAX_CHARS = 1_000_000;
    /** The property naming, in an imported suite, the stage that attached it. */
    static final String STAGE_PROPERTY = "pipewright.stage";

    /** The count attributes of a suite: the values {@link #counts} gives, in its order. */
    private static final String[] COUNTS = {"tests", "failures", "errors", "skipped"};

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    /** CSI sequences (colours, cursor moves), OSC sequences (titles, links) and two-character escapes. */
    private static final Pattern ANSI =
            Pattern.compile("\u001B(?:\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?|[@-Z\\\\-_])");

    /** One stage's output, the newest lines kept. */
    private static final class Output {
        final Deque<String> lines = new ArrayDeque<>();
        long chars;
        long dropped;

        void add(String line) {
            lines.addLast(line);
            chars += line.length();
            while (lines.size() > MAX_LINES || (chars > MAX_CHARS && lines.size() > 1)) {
                chars -= lines.removeFirst().length();
                dropped++;
            }
        }
    }

    private record Attached(String stage, Path path) { }

    private final Path file;
    private final Clock clock;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private @Nullable Instant startedAt;
    /** By stage or hook name. Guarded by lock. */
    private final Map<String, Output> outputs = new LinkedHashMap<>();
    /** Guarded by lock. */
    private final List<Attached> testResults = new ArrayList<>();

    /** A report written to {@code file} (usually {@value #FILE_NAME} in the run folder). */
    JunitReport(Path file) {
        this(file, Clock.systemUTC());
    }

    /** As {@link #JunitReport(Path)}, with the clock that dates the run's start. */
    JunitReport(Path file, Clock clock) {
        this.file = checkNotNull(file, "file");
        this.clock = checkNotNull(clock, "clock");
    }

    /** The file written at the end of the run. */
    Path file() {
        return file;
    }

    @Override
    public void runStarted(RunInfo run) {
        Instant now = clock.instant();
        synchronized (lock) {
            startedAt = now;
        }
    }

    @Override
    public void stageStarted(String stage, int attempt) {
        if (attempt > 1) {
            synchronized (lock) {
                outputs.computeIfAbsent(stage, s -> new Output()).add("--- attempt " + attempt + " ---");
            }
        }
    }

    @Override
    public void stageOutput(String stage, String line) {
        synchronized (lock) {
            outputs.computeIfAbsent(stage, s -> new Output()).add(line);
        }
    }

    @Override
    public void attached(String stage, Attachment attachment) {
        if (attachment.kind() == Attachment.Kind.TEST_RESULTS) {
            synchronized (lock) {
                testResults.add(new Attached(stage, attachment.path()));
            }
        }
    }

    /**
     * Writes the report, merging the attached test results.
     *
     * @throws UncheckedIOException if the file cannot be written (the runner logs it; the run's
     *     outcome does not change)
     */
    @Override
    public void runFinished(RunResult result) {
        Instant started;
        Map<String, List<String>> output = new LinkedHashMap<>();
        List<Attached> attached;
        synchronized (lock) {
            started = startedAt != null ? startedAt : clock.instant().minus(result.duration());
            outputs.forEach((stage, o) -> {
                List<String> lines = new ArrayList<>(o.lines.size() + 1);
                if (o.dropped > 0) {
                    lines.add("[" + o.dropped + " earlier lines left out: this report keeps the last " + MAX_LINES
                            + " lines of each stage, at most " + MAX_CHARS + " characters]");
                }
                lines.addAll(o.lines);
                output.put(stage, lines);
            });
            attached = List.copyOf(testResults);
        }
        byte[] bytes;
        try {
            bytes = write(build(result, started, output, attached));
        } catch (ParserConfigurationException | TransformerException e) {
            throw new IllegalStateException("The JDK's XML support cannot write the JUnit report: " + e, e);
        }
        try {
            ReportFiles.writeAtomically(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the JUnit report " + file + ": " + e, e);
        }
    }

    private static Document build(RunResult result, Instant started, Map<String, List<String>> output,
            List<Attached> attached) throws ParserConfigurationException {
        Document doc = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder().newDocument();
        Element root = doc.createElement("testsuites");
        doc.appendChild(root);
        root.setAttribute("name", xml(result.pipeline()));

        Element suite = child(root, "testsuite");
        suite.setAttribute("name", xml(result.pipeline()));
        suite.setAttribute("timestamp", TIMESTAMP.format(started));
        suite.setAttribute("time", seconds(result.duration()));
        Element properties = child(suite, "properties");
        property(properties, "pipewright.run.id", result.runId());
        property(properties, "pipewright.run.status", result.status().name());
        result.message().ifPresent(m -> property(properties, "pipewright.run.message", m));
        result.facts().ref().ifPresent(r -> property(properties,
                r.kind() == Ref.Kind.BRANCH ? "pipewright.branch" : "pipewright.tag", r.name()));
        result.facts().commit().ifPresent(c -> property(properties, "pipewright.commit", c));
        for (StageResult s : result.stages()) {
            testcase(suite, result.pipeline(), s, output.getOrDefault(s.stage(), List.of()));
        }
        for (StageResult h : result.hooks()) {
            testcase(suite, result.pipeline(), h, output.getOrDefault(h.stage(), List.of()));
        }
        count(suite);

        List<Element> unreadable = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (Attached a : attached) {
            for (Path xmlFile : xmlFiles(a, unreadable, doc)) {
                if (seen.add(normalized(xmlFile))) {
                    importResults(root, a.stage(), xmlFile, unreadable);
                }
            }
        }
        if (!unreadable.isEmpty()) {
            Element errors = child(root, "testsuite");
            errors.setAttribute("name", xml(result.pipeline() + ": unreadable test results"));
            errors.setAttribute("timestamp", TIMESTAMP.format(started));
            errors.setAttribute("time", "0.000");
            unreadable.forEach(errors::appendChild);
            count(errors);
        }

        int[] totals = new int[COUNTS.length];
        double time = 0;
        for (Element s : childElements(root, "testsuite")) {
            int[] c = counts(s);
            for (int i = 0; i < totals.length; i++) {
                totals[i] += c[i];
            }
            time += parseSeconds(s.getAttribute("time"));
        }
        setCounts(root, totals);
        root.setAttribute("time", String.format(Locale.ROOT, "%.3f", time));
        return doc;
    }

    private static void testcase(Element suite, String pipeline, StageResult s, List<String> lines) {
        Element testcase = child(suite, "testcase");
        testcase.setAttribute("classname", xml(pipeline));
        testcase.setAttribute("name", xml(s.stage()));
        testcase.setAttribute("time", seconds(s.duration()));
        StageOutcome outcome = s.outcome();
        String message = s.message().orElse(describe(outcome));
        switch (outcome) {
            case FAILED:
            case TIMED_OUT:
            case ROLLED_BACK: {
                Element failure = child(testcase, "failure");
                failure.setAttribute("message", text(message));
                failure.setAttribute("type", outcome.name());
                StringBuilder body = new StringBuilder(message);
                s.exitCode().ifPresent(c -> body.append("\nexit code: ").append(c));
                if (s.attempts() > 1) {
                    body.append("\nattempts: ").append(s.attempts());
                }
                failure.setTextContent(text(body.toString()));
                break;
            }
            case CANCELLED:
            case SKIPPED:
            case REFUSED:
                child(testcase, "skipped").setAttribute("message", text(message));
                break;
            case SUCCEEDED:
            default:
                break;
        }
        if (!lines.isEmpty()) {
            child(testcase, "system-out").setTextContent(
                    lines.stream().map(JunitReport::text).collect(Collectors.joining("\n", "", "\n")));
        }
    }

    private static String describe(StageOutcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** The XML files of an attachment: the file itself, or a folder's {@code *.xml} files, sorted. */
    private static List<Path> xmlFiles(Attached a, List<Element> unreadable, Document doc) {
        Path path = a.path();
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml"))
                    .filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        } catch (IOException | UncheckedIOException e) {
            unreadable.add(error(doc, a.stage(), path, "Unreadable",
                    path + ": could not search the folder for test results: " + e.getMessage()));
            return List.of();
        }
    }

    private static Path normalized(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /** Imports the suites of {@code xmlFile} into {@code root}, or adds an error case for it. */
    private static void importResults(Element root, String stage, Path xmlFile, List<Element> unreadable) {
        Document doc = root.getOwnerDocument();
        Document parsed;
        try (InputStream in = Files.newInputStream(xmlFile)) {
            DocumentBuilder parser = safeParser();
            parsed = parser.parse(in, xmlFile.toUri().toString());
        } catch (SAXParseException e) {
            unreadable.add(error(doc, stage, xmlFile, "NotWellFormed", xmlFile + ": not well-formed XML at line "
                    + e.getLineNumber() + ", column " + e.getColumnNumber() + ": " + e.getMessage()));
            return;
        } catch (NoSuchFileException e) {
            unreadable.add(error(doc, stage, xmlFile, "Unreadable", xmlFile + ": does not exist"));
            return;
        } catch (SAXException | IOException e) {
            unreadable.add(error(doc, stage, xmlFile, "Unreadable", xmlFile + ": could not be read: " + e));
            return;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The JDK's XML parser cannot be configured safely: " + e, e);
        }
        Element top = parsed.getDocumentElement();
        List<Element> suites;
        if (isNamed(top, "testsuite")) {
            suites = List.of(top);
        } else if (isNamed(top, "testsuites")) {
            suites = childElements(top, "testsuite");
        } else {
            unreadable.add(error(doc, stage, xmlFile, "NotJUnit", xmlFile + ": not JUnit XML: its root element is <"
                    + top.getTagName() + ">, not <testsuite> or <testsuites>"));
            return;
        }
        for (Element suite : suites) {
            Element imported = (Element) doc.importNode(suite, true);
            clean(imported);
            if (!imported.hasAttribute("package")) {
                imported.setAttribute("package", xml(stage));
            }
            int[] counts = counts(imported);
            for (int i = 0; i < COUNTS.length; i++) {
                if (!imported.hasAttribute(COUNTS[i])) {
                    imported.setAttribute(COUNTS[i], Integer.toString(counts[i]));
                }
            }
            Element properties = childElements(imported, "properties").stream().findFirst().orElseGet(() -> {
                Element p = doc.createElement("properties");
                imported.insertBefore(p, imported.getFirstChild());
                return p;
            });
            property(properties, STAGE_PROPERTY, stage);
            root.appendChild(imported);
        }
    }

    /** A parser that refuses DOCTYPEs, so neither external entities nor entity expansion can happen. */
    private static DocumentBuilder safeParser() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setNamespaceAware(true);
        f.setCoalescing(true);
        f.setIgnoringComments(true);
        DocumentBuilder parser = f.newDocumentBuilder();
        // The default handler prints "[Fatal Error]" lines to stderr before throwing.
        parser.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) { }

            @Override
            public void error(SAXParseException e) throws SAXException {
                throw e;
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }
        });
        parser.setEntityResolver((publicId, systemId) -> {
            throw new SAXException("external entity " + systemId + " refused");
        });
        return parser;
    }

    /**
     * Makes an imported element fit for the report: drops namespaced attributes and declarations
     * (an {@code xsi:} attribute whose declaration stayed on the root), whitespace between
     * elements (which would double the indentation) and characters XML 1.0 cannot hold (an XML 1.1
     * file may have them).
     */
    private static void clean(Element e) {
        NamedNodeMap attributes = e.getAttributes();
        for (int i = attributes.getLength() - 1; i >= 0; i--) {
            Attr a = (Attr) attributes.item(i);
            if (a.getNamespaceURI() != null || a.getName().startsWith("xmlns")) {
                e.removeAttributeNode(a);
            } else {
                a.setValue(xml(a.getValue()));
            }
        }
        boolean hasElements = false;
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            hasElements |= n.getNodeType() == Node.ELEMENT_NODE;
        }
        Node n = e.getFirstChild();
        while (n != null) {
            Node next = n.getNextSibling();
            switch (n.getNodeType()) {
                case Node.ELEMENT_NODE:
                    clean((Element) n);
                    break;
                case Node.TEXT_NODE:
                case Node.CDATA_SECTION_NODE:
                    if (hasElements && n.getNodeValue().isBlank()) {
                        e.removeChild(n);
                    } else {
                        n.setNodeValue(xml(n.getNodeValue()));
                    }
                    break;
                default:
                    e.removeChild(n); // comments, processing instructions, entity references
                    break;
            }
            n = next;
        }
    }

    private static Element error(Document doc, String stage, Path xmlFile, String type, String message) {
        Element testcase = doc.createElement("testcase");
        testcase.setAttribute("classname", xml(stage));
        testcase.setAttribute("name", xml(xmlFile.toString()));
        testcase.setAttribute("time", "0.000");
        Element error = child(testcase, "error");
        error.setAttribute("message", text(message));
        error.setAttribute("type", type);
        error.setTextContent(text(message));
        return testcase;
    }

    private static boolean isNamed(Element e, String name) {
        String local = e.getLocalName() != null ? e.getLocalName() : e.getTagName();
        return local.equals(name);
    }

    private static List<Element> childElements(Element parent, String name) {
        List<Element> children = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && isNamed(e, name)) {
                children.add(e);
            }
        }
        return children;
    }

    /** Tests, failures, errors and skipped of {@code suite}, counted from its cases, nested suites included. */
    private static int[] counts(Element suite) {
        int[] c = new int[COUNTS.length];
        NodeList cases = suite.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element testcase = (Element) cases.item(i);
            c[0]++;
            if (!childElements(testcase, "failure").isEmpty()) {
                c[1]++;
            } else if (!childElements(testcase, "error").isEmpty()) {
                c[2]++;
            } else if (!childElements(testcase, "skipped").isEmpty()) {
                c[3]++;
            }
        }
        return c;
    }

    private static void count(Element suite) {
        setCounts(suite, counts(suite));
    }

    private static void setCounts(Element e, int[] c) {
        for (int i = 0; i < COUNTS.length; i++) {
            e.setAttribute(COUNTS[i], Integer.toString(c[i]));
        }
    }

    private static double parseSeconds(String time) {
        try {
            double t = Double.parseDouble(time.replace(",", ""));
            return Double.isFinite(t) && t > 0 ? t : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Element child(Element parent, String name) {
        Element e = parent.getOwnerDocument().createElement(name);
        parent.appendChild(e);
        return e;
    }

    private static void property(Element properties, String name, String value) {
        Element p = child(properties, "property");
        p.setAttribute("name", name);
        p.setAttribute("value", text(value));
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
    }

    /** Free text (an output line, a message) without terminal escape sequences, fit for XML. */
    static String text(String text) {
        return xml(ANSI.matcher(text).replaceAll(""));
    }

    /**
     * {@code text} without the characters XML 1.0 cannot hold: control characters other than tab,
     * LF and CR, unpaired surrogates, U+FFFE and U+FFFF.
     */
    static String xml(String text) {
        @Nullable StringBuilder b = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int size = Character.charCount(c);
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            if (!allowed && b == null) {
                b = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (allowed && b != null) {
                b.appendCodePoint(c);
            }
            i += size;
        }
        return b == null ? text : b.toString();
    }

    private static byte[] write(Document doc) throws TransformerException {
        TransformerFactory factory = TransformerFactory.newDefaultInstance();
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
        Transformer t = factory.newTransformer();
        t.setOutputProperty(OutputKeys.METHOD, "xml");
        t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
        t.setOutputProperty(OutputKeys.INDENT, "yes");
        t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
        // Written by hand: the JDK puts the root element on the declaration's line.
        t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".getBytes(UTF_8));
        t.transform(new DOMSource(doc), new StreamResult(out));
        return out.toByteArray();
    }
}
