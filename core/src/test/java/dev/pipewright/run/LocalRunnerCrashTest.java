package dev.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.pipewright.Pipeline;
import dev.pipewright.Ref;
import dev.pipewright.run.JournalEvent.Outcome;
import dev.pipewright.run.JournalEvent.RunFinished;
import dev.pipewright.run.JournalEvent.RunStarted;
import dev.pipewright.run.JournalEvent.RunStatus;
import dev.pipewright.run.JournalEvent.StageFinished;
import dev.pipewright.run.JournalEvent.StageStarted;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.StageOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM running {@link CrashChild}'s pipeline with {@code SIGKILL} at random points,
 * resumes the run in a new child, again and again, until a child ends on its own; then checks
 * that the run succeeded, that every stage's effect is there once with the right content, and
 * that no stage the journal recorded as succeeded when a child was killed ever started again.
 *
 * <p>The kill delays come from a {@link Random} whose seed is printed; set
 * {@code -Dpipewright.crash.seed=N} to replay its choices (the timing of the processes cannot be
 * replayed). Each seed's first resume finds a torn last line appended to the journal, as a crash
 * in the middle of a write would leave it.
 */
class LocalRunnerCrashTest {
    private static final int SEEDS = 5;
    /** A seed's children are killed at most this often; the next one runs to its end. */
    private static final int MAX_KILLS = 4;
    /** Far beyond what a child takes on a loaded machine: only a hung child reaches it. */
    private static final Duration CHILD_LIMIT = Duration.ofSeconds(60);
    /** How long processes a killed child left behind may take to end; they run for milliseconds. */
    private static final Duration LEFTOVER_LIMIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    /** A child killed at generation {@code generation}, when the journal held these successes. */
    private record Kill(int generation, Set<String> succeeded) {
    }

    @Test
    void killedAtRandomPoints_everyResumedRunSucceeds_withEachEffectOnce_andSucceededStagesNeverRerun()
            throws Exception {
        Duration expected = calibrate();
        long base = Long.getLong("pipewright.crash.seed", System.nanoTime());
        for (int i = 0; i < SEEDS; i++) {
            long seed = base + i;
            System.out.printf("LocalRunnerCrashTest: seed %d (replay the test with -Dpipewright.crash.seed=%d)%n",
                    seed, base);
            killAndResume(seed, expected);
        }
    }

    @Test
    void resume_afterAFailure_neverRerunsAStageThatSucceeded_whenWhatItNeedsSucceededToo() throws IOException {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Path fixed = dir.resolve("fixed");
        Pipeline p = Pipeline.named("p")
                .stage("a", s -> s.java("a", c -> count(runs, "a")))
                .stage("b", s -> s.needs("a").java("b", c -> count(runs, "b")))
                .stage("c", s -> s.needs("b").java("c", c -> count(runs, "c")))
                .stage("d", s -> s.needs("c").java("d", c -> {
                    count(runs, "d");
                    if (!Files.exists(fixed)) {
                        throw new IllegalStateException("not fixed yet");
                    }
                }))
                .build();

        RunResult first = inProcess().build().run(p);
        Files.createFile(fixed);
        RunResult second = inProcess().build().resume(p, first.runId());

        assertThat(first.status()).isEqualTo(dev.pipewright.spi.RunStatus.FAILED);
        assertThat(second.status()).isEqualTo(dev.pipewright.spi.RunStatus.SUCCEEDED);
        assertThat(runs).containsOnlyKeys("a", "b", "c", "d");
        assertThat(runs.get("a")).hasValue(1);
        assertThat(runs.get("b")).hasValue(1);
        assertThat(runs.get("c")).hasValue(1);
        assertThat(runs.get("d")).hasValue(2);
        assertThat(Journal.read(Journal.file(dir.resolve("runs"), first.runId())).events())
                .filteredOn(StageStarted.class::isInstance).extracting(e -> ((StageStarted) e).stage())
                .containsExactly("a", "b", "c", "d", "d");
    }

    @Test
    void resume_keepsSkippingAStageTheFiltersSkip_whenWhatItNeedsSucceeded() throws IOException {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Path fixed = dir.resolve("fixed");
        Pipeline p = Pipeline.named("p")
                .stage("build", s -> s.java("build", c -> count(runs, "build")))
                .stage("release", s -> s.needs("build").branches("release").java("release",
                        c -> count(runs, "release")))
                .stage("test", s -> s.java("test", c -> {
                    count(runs, "test");
                    if (!Files.exists(fixed)) {
                        throw new IllegalStateException("not fixed yet");
                    }
                }))
                .build();

        RunResult first = inProcess().build().run(p);
        Files.createFile(fixed);
        RunResult second = inProcess().build().resume(p, first.runId());

        assertThat(second.status()).isEqualTo(dev.pipewright.spi.RunStatus.SUCCEEDED);
        assertThat(second.stage("release").orElseThrow().outcome()).isEqualTo(StageOutcome.SKIPPED);
        assertThat(runs).containsOnlyKeys("build", "test");
        assertThat(runs.get("build")).hasValue(1);
    }

    private LocalRunner.Builder inProcess() {
        return LocalRunner.builder()
                .workspace(dir)
                .journal(dir.resolve("runs"))
                .locks(dir.resolve("locks"))
                .environment(Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString()))
                .ref(Ref.branch("main"))
                .discover(false);
    }

    private static void count(Map<String, AtomicInteger> runs, String stage) {
        runs.computeIfAbsent(stage, k -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * One child that nothing kills: every stage runs once, and how long the run took after the
     * JVM started is the range the kill delays are drawn from.
     */
    private Duration calibrate() throws Exception {
        Path workspace = dir.resolve("calibration");
        Path journal = dir.resolve("calibration-journal");
        Child child = Child.start(workspace, journal, 0, null);
        long ready = child.awaitReady();
        child.awaitExit();
        Duration took = Duration.ofNanos(System.nanoTime() - ready);
        child.assertSucceeded();
        assertEffects(workspace);
        for (String stage : CrashChild.STAGES.keySet()) {
            assertThat(starts(workspace, stage)).as("start log of %s", stage).containsExactly(0);
        }
        System.out.printf("LocalRunnerCrashTest: an uninterrupted run takes %d ms after the JVM is up%n",
                took.toMillis());
        return took.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : took;
    }

    private void killAndResume(long seed, Duration expected) throws Exception {
        Random random = new Random(seed);
        Path workspace = dir.resolve("seed-" + seed);
        Path journalDir = dir.resolve("journal-" + seed);
        List<Kill> kills = new ArrayList<>();
        List<String> story = new ArrayList<>();
        boolean torn = false;
        int generation = 1;
        while (true) {
            Optional<String> runId = startedRun(journalDir);
            if (runId.isPresent() && !torn) {
                tear(Journal.file(journalDir, runId.get()), seed);
                torn = true;
            }
            Child child = Child.start(workspace, journalDir, generation, runId.orElse(null));
            long ready = child.awaitReady();
            if (kills.size() < MAX_KILLS) {
                long delay = random.nextLong(expected.toNanos());
                if (!child.process.waitFor(delay, TimeUnit.NANOSECONDS)) {
                    child.kill();
                    awaitLeftovers(workspace, child.descendants);
                    Set<String> succeeded = runId.or(() -> startedRun(journalDir))
                            .map(id -> succeeded(Journal.file(journalDir, id)))
                            .orElse(Set.of());
                    kills.add(new Kill(generation, succeeded));
                    story.add("killed after " + TimeUnit.NANOSECONDS.toMillis(delay) + " ms with "
                            + succeeded.size() + " stages done");
                    assertJournalPrecedesStarts(workspace, journalDir);
                    generation++;
                    continue;
                }
            }
            child.awaitExit();
            child.assertSucceeded();
            story.add("ended on its own after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ready) + " ms");
            break;
        }
        System.out.printf("LocalRunnerCrashTest: seed %d: %s%n", seed, String.join("; ", story));

        String runId = startedRun(journalDir).orElseThrow();
        Journal.Contents contents = Journal.read(Journal.file(journalDir, runId));
        assertThat(contents.tornTail()).as("torn tail of the final journal").isFalse();
        List<JournalEvent> events = contents.events();
        assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(RunFinished.class,
                f -> assertThat(f.status()).isEqualTo(RunStatus.SUCCEEDED));
        for (String stage : CrashChild.STAGES.keySet()) {
            assertThat(events).as("successes of %s in the journal", stage)
                    .filteredOn(e -> e instanceof StageFinished f && f.stage().equals(stage)
                            && f.outcome() == Outcome.SUCCEEDED)
                    .hasSize(1);
        }
        assertEffects(workspace);
        int last = generation;
        for (String stage : CrashChild.STAGES.keySet()) {
            List<Integer> starts = starts(workspace, stage);
            assertThat(starts).as("start log of %s", stage).isNotEmpty().allSatisfy(g -> assertThat(g)
                    .isBetween(1, last));
            for (Kill kill : kills) {
                if (kill.succeeded().contains(stage)) {
                    assertThat(starts).as("generations that started %s, which had succeeded when generation %d"
                            + " was killed (seed %d)", stage, kill.generation(), seed)
                            .allSatisfy(g -> assertThat(g).isLessThanOrEqualTo(kill.generation()));
                }
            }
        }
    }

    /** Every stage's effect file and nothing else, each with its content. */
    private static void assertEffects(Path workspace) throws IOException {
        try (Stream<Path> files = Files.list(workspace.resolve("effects"))) {
            Set<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            assertThat(names).as("effects").containsExactlyInAnyOrderElementsOf(CrashChild.STAGES.keySet());
        }
        for (String stage : CrashChild.STAGES.keySet()) {
            assertThat(Files.readString(workspace.resolve("effects").resolve(stage))).as("effect of %s", stage)
                    .isEqualTo(CrashChild.effect(stage));
        }
    }

    /**
     * A stage may only have started as often as the journal announced it: the journal's line is
     * durable before the stage's code runs.
     */
    private static void assertJournalPrecedesStarts(Path workspace, Path journalDir) throws IOException {
        Optional<String> runId = startedRun(journalDir);
        Map<String, Integer> announced = new HashMap<>();
        if (runId.isPresent()) {
            for (JournalEvent e : Journal.read(Journal.file(journalDir, runId.get())).events()) {
                if (e instanceof StageStarted s) {
                    announced.merge(s.stage(), 1, Integer::sum);
                }
            }
        }
        for (String stage : CrashChild.STAGES.keySet()) {
            assertThat(starts(workspace, stage).size()).as("starts of %s against its StageStarted lines", stage)
                    .isLessThanOrEqualTo(announced.getOrDefault(stage, 0));
        }
    }

    /** The generations in {@code stage}'s start log, in order. */
    private static List<Integer> starts(Path workspace, String stage) throws IOException {
        Path log = workspace.resolve("starts").resolve(stage + ".log");
        if (!Files.exists(log)) {
            return List.of();
        }
        List<Integer> generations = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            String[] words = line.split(" ");
            assertThat(words).as("line '%s' of %s", line, log).hasSize(2).startsWith(stage);
            generations.add(Integer.parseInt(words[1]));
        }
        return generations;
    }

    /** The stages with a successful {@link StageFinished} in the journal. */
    private static Set<String> succeeded(Path journal) {
        if (!Files.exists(journal)) {
            return Set.of();
        }
        Set<String> succeeded = new TreeSet<>();
        for (JournalEvent e : Journal.read(journal).events()) {
            if (e instanceof StageFinished f && f.outcome() == Outcome.SUCCEEDED) {
                succeeded.add(f.stage());
            }
        }
        return succeeded;
    }

    /**
     * The run whose journal got as far as its {@link RunStarted}; a child killed before that
     * leaves a folder without one, and the next child starts afresh.
     */
    private static Optional<String> startedRun(Path journalDir) {
        if (!Files.isDirectory(journalDir)) {
            return Optional.empty();
        }
        List<String> started = new ArrayList<>();
        try (Stream<Path> runs = Files.list(journalDir)) {
            for (Path run : runs.toList()) {
                Path file = run.resolve(Journal.FILE_NAME);
                if (Files.isRegularFile(file)) {
                    List<JournalEvent> events = Journal.read(file).events();
                    if (!events.isEmpty() && events.get(0) instanceof RunStarted) {
                        started.add(run.getFileName().toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(started).as("runs started in %s", journalDir).hasSizeLessThanOrEqualTo(1);
        return started.stream().findFirst();
    }

    /**
     * Appends what a crash in the middle of a write can leave: half a line without its LF, or,
     * where the file system extended the file before the data landed, zeros and an LF.
     */
    private static void tear(Path journal, long seed) throws IOException {
        byte[] torn = seed % 2 == 0
                ? "{\"type\":\"StageFinished\",\"stage\":\"notify\",\"attempt\":1,\"outc"
                        .getBytes(StandardCharsets.UTF_8)
                : new byte[] {0, 0, 0, 0, 0, 0, '\n'};
        Files.write(journal, torn, StandardOpenOption.APPEND);
        assertThat(Journal.read(journal).tornTail()).isTrue();
    }

    /**
     * Waits for the shells a killed child left behind: they run in sessions of their own, so the
     * kill does not reach them. Each writes its pid to {@code pids/} first thing.
     */
    private static void awaitLeftovers(Path workspace, List<ProcessHandle> descendants)
            throws IOException, InterruptedException {
        Thread.sleep(30); // a shell forked just before the kill has written its pid by now
        List<ProcessHandle> all = new ArrayList<>(descendants);
        try (Stream<Path> pids = Files.list(workspace.resolve("pids"))) {
            pids.forEach(p -> ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(all::add));
        }
        long end = System.nanoTime() + LEFTOVER_LIMIT.toNanos();
        while (all.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() - end < 0) {
            Thread.sleep(10);
        }
    }

    /** A child JVM running {@link CrashChild}, its output in a file. */
    private static final class Child {
        final Process process;
        final Path output;
        List<ProcessHandle> descendants = List.of();

        private Child(Process process, Path output) {
            this.process = process;
            this.output = output;
        }

        static Child start(Path workspace, Path journal, int generation, @Nullable String runId) throws IOException {
            Files.createDirectories(workspace);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Daws.disableEc2Metadata=true",
                    "-Duser.home=" + workspace,
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"),
                    CrashChild.class.getName(),
                    workspace.toString(), journal.toString(), Integer.toString(generation)));
            if (runId != null) {
                command.add(runId);
            }
            Path output = workspace.resolve("child-" + generation + ".out");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            return new Child(process, output);
        }

        /** Waits until the child is about to run the pipeline; returns when that was seen. */
        long awaitReady() throws IOException, InterruptedException {
            long end = System.nanoTime() + CHILD_LIMIT.toNanos();
            while (System.nanoTime() - end < 0) {
                boolean ended = !process.isAlive();
                String text = Files.readString(output);
                if (text.contains("READY\n")) {
                    return System.nanoTime();
                }
                if (ended) {
                    fail("The child ended before it was ready (exit code %d):%n%s", process.exitValue(), text);
                }
                Thread.sleep(1);
            }
            process.destroyForcibly();
            return fail("The child was not ready within %s:%n%s", CHILD_LIMIT, Files.readString(output));
        }

        void kill() throws InterruptedException {
            descendants = process.descendants().toList();
            process.destroyForcibly();
            process.waitFor();
        }

        void awaitExit() throws IOException, InterruptedException {
            if (!process.waitFor(CHILD_LIMIT.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                fail("The child did not end within %s:%n%s", CHILD_LIMIT, Files.readString(output));
            }
        }

        void assertSucceeded() throws IOException {
            String text = Files.readString(output);
            assertThat(process.exitValue()).as("exit code of the child; its output:%n%s", text).isZero();
            assertThat(text).contains("STATUS SUCCEEDED");
        }
    }
}
