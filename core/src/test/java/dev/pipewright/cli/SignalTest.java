package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a running {@code run} cancels it like a failure: stages stopped, hooks run, journal closed. */
class SignalTest {
    @TempDir
    Path repo;

    @Test
    void sigterm_stopsTheStage_runsTheHooks_andJournalsTheCancellation() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Daws.disableEc2Metadata=true", "-cp",
                System.getProperty("java.class.path"), SignalChild.class.getName(),
                "run", "sleepy", "--repo", repo.toString(), "--branch", "main")
                .redirectErrorStream(true)
                .redirectOutput(repo.resolve("child.log").toFile())
                .start();
        try {
            Path pidFile = repo.resolve("long.pid");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(pidFile) && Files.size(pidFile) > 0) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(pidFile).as(Files.readString(repo.resolve("child.log"))).exists();
            long stagePid = Long.parseLong(Files.readString(pidFile).strip());

            child.destroy(); // SIGTERM

            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the runner exits").isTrue();
            assertThat(child.exitValue()).isNotZero();
            assertThat(ProcessHandle.of(stagePid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(repo.resolve("notified")).hasContent("run CANCELLED");
            Path journal;
            try (Stream<Path> runs = Files.list(repo.resolve(".pipewright/runs"))) {
                journal = runs.findFirst().orElseThrow().resolve("journal.jsonl");
            }
            List<String> lines = Files.readAllLines(journal);
            assertThat(lines.get(lines.size() - 1)).contains("\"type\":\"RunFinished\"", "\"status\":\"CANCELLED\"");
            assertThat(String.join(File.separator, lines)).contains("\"stage\":\"long\"", "\"outcome\":\"CANCELLED\"");
        } finally {
            child.destroyForcibly();
        }
    }
}
