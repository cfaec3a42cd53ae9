package dev.pipewright.spi;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;

/**
 * A file or folder a step produced for the run's report.
 *
 * @param kind what it is
 * @param path where it is, a file or a folder
 * @since 0.1
 */
public record Attachment(Kind kind, Path path) {
    /** What an attachment is. */
    public enum Kind {
        /** JUnit XML test results: a file, or a folder searched for {@code *.xml}. */
        TEST_RESULTS,
        /** A build artifact, listed in the report. */
        ARTIFACT
    }

    /** Checks the components are present. */
    public Attachment {
        checkNotNull(kind, "kind");
        checkNotNull(path, "path");
    }

    /** Test results at {@code path}. */
    public static Attachment testResults(Path path) {
        return new Attachment(Kind.TEST_RESULTS, path);
    }

    /** An artifact at {@code path}. */
    public static Attachment artifact(Path path) {
        return new Attachment(Kind.ARTIFACT, path);
    }
}
