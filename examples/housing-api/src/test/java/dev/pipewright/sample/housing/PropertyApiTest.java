package dev.pipewright.sample.housing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample service's tests, runnable with nothing but a JDK: {@code main} runs each check,
 * writes JUnit XML to the folder given, and exits 1 if any failed.
 */
public final class PropertyApiTest {
    private static final PropertyApi API = new PropertyApi(List.of(
            new PropertyApi.Property("HK-0001", "1 Mare Street", 2),
            new PropertyApi.Property("HK-0002", "14 \"The Grove\"", 3)));

    private record Case(String name, Runnable check) { }

    public static void main(String[] args) throws IOException {
        List<Case> cases = List.of(
                new Case("listsEveryProperty", () -> expect(API.get("/properties").body(),
                        "[{\"reference\":\"HK-0001\",\"address\":\"1 Mare Street\",\"bedrooms\":2},"
                                + "{\"reference\":\"HK-0002\",\"address\":\"14 \\\"The Grove\\\"\",\"bedrooms\":3}]")),
                new Case("findsOneByReference", () -> expect(API.get("/properties/HK-0001").status(), 200)),
                new Case("unknownReferenceIs404", () -> expect(API.get("/properties/HK-9999").status(), 404)),
                new Case("unknownPathIs404", () -> expect(API.get("/tenants").status(), 404)),
                new Case("duplicateReferencesAreRefused", () -> {
                    try {
                        new PropertyApi(List.of(new PropertyApi.Property("A", "x", 1),
                                new PropertyApi.Property("A", "y", 1)));
                        throw new AssertionError("expected an IllegalArgumentException");
                    } catch (IllegalArgumentException expected) {
                        expect(expected.getMessage(), "two properties have reference A");
                    }
                }));
        List<String> failures = new ArrayList<>();
        StringBuilder xml = new StringBuilder();
        for (Case c : cases) {
            long start = System.nanoTime();
            String failure = null;
            try {
                c.check().run();
            } catch (AssertionError | RuntimeException e) {
                failure = e.getMessage();
                failures.add(c.name() + ": " + failure);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            xml.append(String.format("  <testcase classname=\"%s\" name=\"%s\" time=\"%.6f\"",
                    PropertyApiTest.class.getName(), c.name(), seconds));
            xml.append(failure == null ? "/>\n" : ">\n    <failure message=\"" + PropertyApi.escape(failure)
                    .replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;") + "\"/>\n  </testcase>\n");
            System.out.println((failure == null ? "ok   " : "FAIL ") + c.name()
                    + (failure == null ? "" : ": " + failure));
        }
        if (args.length > 0) {
            Path folder = Path.of(args[0]);
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("TEST-" + PropertyApiTest.class.getName() + ".xml"),
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"" + PropertyApiTest.class.getName()
                            + "\" tests=\"" + cases.size() + "\" failures=\"" + failures.size() + "\">\n" + xml
                            + "</testsuite>\n", StandardCharsets.UTF_8);
        }
        System.out.println(cases.size() - failures.size() + " of " + cases.size() + " tests passed");
        if (!failures.isEmpty()) {
            System.exit(1);
        }
    }

    private static void expect(Object actual, Object expected) {
        if (!expected.equals(actual)) {
            throw new AssertionError("expected " + expected + " but was " + actual);
        }
    }
}
