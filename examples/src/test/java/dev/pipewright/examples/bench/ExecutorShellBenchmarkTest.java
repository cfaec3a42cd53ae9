package dev.pipewright.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell benchmark's plumbing at the smoke size: nothing here checks speed. */
class ExecutorShellBenchmarkTest {
    @TempDir
    Path temp;

    private final StringWriter err = new StringWriter();

    private static boolean hasMake() {
        return ExecutorShellBenchmark.missing("make").isEmpty();
    }

    @Test
    void run_smoke_reportsTheRatioToMakeFirst() {
        assumeTrue(hasMake(), "GNU make is not installed");

        Optional<Report> report = ExecutorShellBenchmark.run(ExecutorShellBenchmark.Size.SMOKE, "make",
                new PrintWriter(err));

        assertThat(report).hasValueSatisfying(r -> {
            assertThat(r.results()).extracting(Result::name, Result::metric, Result::unit).containsExactly(
                    tuple("executor-shell", "runner-vs-make", "x"),
                    tuple("executor-shell", "runner", "ms"),
                    tuple("executor-shell", "make", "ms"),
                    tuple("executor-shell", "jdk-floor-vs-make", "x"),
                    tuple("executor-shell", "runner-vs-jdk-floor", "x"));
            assertThat(r.results()).allSatisfy(result -> assertThat(result.value()).isPositive());
            assertThat(r.summary()).startsWith("executor-shell: 10 shell stages running 'true'")
                    .contains("after 0 warm-up rounds (")
                    .containsPattern("the JDK's floor, a bare graph that only starts each process, [0-9]+ ms: [0-9.]+x"
                            + " make, the runner [0-9.]+x it$");
        });
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void run_withoutMake_isSkippedWithAMessage() {
        Optional<Report> report = ExecutorShellBenchmark.run(ExecutorShellBenchmark.Size.SMOKE,
                temp.resolve("no-make-here").toString(), new PrintWriter(err));

        assertThat(report).isEmpty();
        assertThat(err.toString()).startsWith("executor-shell: skipped: '" + temp.resolve("no-make-here")
                + "' cannot be run (").contains("install make");
    }

    @Test
    void missing_aProgramThatIsNotGnuMake() throws IOException {
        Path fake = temp.resolve("fake-make");
        Files.writeString(fake, "#!/bin/sh\necho 'BSD make 1.0'\n");
        assumeTrue(fake.toFile().setExecutable(true) && Files.isExecutable(Path.of("/bin/sh")));

        assertThat(ExecutorShellBenchmark.missing(fake.toString()))
                .hasValue("'" + fake + " --version' does not report GNU Make.");
    }

    @Test
    void makefile_hasAPhonyTargetAStage_itsNeedsAsPrerequisites_andRunsWithMake() throws Exception {
        StageGraph graph = StageGraph.random(25, 4);
        String makefile = ExecutorShellBenchmark.makefile(graph);

        assertThat(makefile).startsWith(".PHONY: all s00000 s00001 ").contains("\nall: s00000 s00001 ");
        for (int i = 0; i < 25; i++) {
            StringBuilder rule = new StringBuilder(StageGraph.name(i)).append(':');
            for (int need : graph.needs(i)) {
                rule.append(' ').append(StageGraph.name(need));
            }
            assertThat(makefile).contains("\n" + rule + "\n\ttrue\n");
        }
        assumeTrue(hasMake(), "GNU make is not installed");
        Path file = temp.resolve("Makefile");
        Files.writeString(file, makefile);
        Process make = new ProcessBuilder("make", "-n", "-f", file.toString(), "all").redirectErrorStream(true)
                .start();
        String output = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(make.waitFor()).as(output).isZero();
        assertThat(output.lines()).hasSize(25).containsOnly("true");
    }
}
