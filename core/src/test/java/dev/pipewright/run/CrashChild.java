package dev.pipewright.run;

import dev.pipewright.Pipeline;
import dev.pipewright.Ref;
import dev.pipewright.RunContext;
import dev.pipewright.Stage;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The child JVM of {@link LocalRunnerCrashTest}: runs, or resumes, a pipeline of eight stages
 * whose effects the test can check after killing this process at any point.
 *
 * <pre>{@code
 * java -cp CLASSPATH dev.pipewright.run.CrashChild WORKSPACE JOURNAL GENERATION [RUN_ID]
 * }</pre>
 *
 * <p>Every stage, shell or Java, does the same in its workspace: appends
 * {@code <stage> <generation>} to {@code starts/<stage>.log} (the generation is this process's
 * number in the test's loop, given as {@code CRASH_GENERATION}), sleeps a little, fails if the
 * effect of a stage it needs is missing, then writes its effect {@code effects/<stage>} (see
 * {@link #effect}) to a temporary file of its own in {@code tmp/} and moves it into place
 * atomically. So an effect is there whole or not at all, and writing it again is harmless.
 * Shell stages write nothing to their output: a shell left behind by a killed JVM would die of
 * {@code SIGPIPE} half way.
 *
 * <p>Prints {@code READY} just before the run starts, then {@code STATUS <status> <message>};
 * exits 0 when the run succeeded, 1 otherwise, 2 on bad arguments.
 */
final class CrashChild {
    /** The stages in the order they are declared, each with the stages it needs. */
    static final Map<String, List<String>> STAGES = stages();
    /** The variable holding the generation, for shell and Java steps alike. */
    static final String GENERATION = "CRASH_GENERATION";

    private CrashChild() {
    }

    private static Map<String, List<String>> stages() {
        Map<String, List<String>> stages = new LinkedHashMap<>();
        stages.put("fetch", List.of());
        stages.put("compile", List.of("fetch"));
        stages.put("lint", List.of("fetch"));
        stages.put("unit", List.of("compile"));
        stages.put("docs", List.of("lint"));
        stages.put("package", List.of("unit", "lint"));
        stages.put("publish", List.of("package", "docs"));
        stages.put("notify", List.of("publish"));
        return Collections.unmodifiableMap(stages);
    }

    /** What {@code effects/<stage>} holds once the stage has run. */
    static String effect(String stage) {
        return stage + " after [" + String.join(" ", STAGES.get(stage)) + "]\n";
    }

    /** The pipeline: stages at even positions run shell steps, the others Java steps. */
    static Pipeline pipeline() {
        Pipeline.@Nullable Builder b = null;
        int i = 0;
        for (Map.Entry<String, List<String>> e : STAGES.entrySet()) {
            String name = e.getKey();
            List<String> needs = e.getValue();
            int sleepMillis = 10 + 10 * (i % 4);
            Stage.Builder s = Stage.named(name).needs(needs.toArray(String[]::new));
            if (i % 2 == 0) {
                s.run(script(name, needs, sleepMillis));
            } else {
                s.java("effect", c -> javaStage(c, name, needs, sleepMillis));
            }
            b = b == null ? Pipeline.named("crash").stage(s.build()) : b.stage(s.build());
            i++;
        }
        return b.build();
    }

    private static String script(String stage, List<String> needs, int sleepMillis) {
        StringBuilder script = new StringBuilder()
                .append(": > pids/$$\n")
                .append("printf '%s %s\\n' ").append(stage).append(" \"$").append(GENERATION).append("\" >> starts/")
                .append(stage).append(".log\n")
                .append("sleep 0.0").append(sleepMillis / 10).append('\n');
        for (String need : needs) {
            script.append("[ -f effects/").append(need).append(" ] || exit 3\n");
        }
        return script.append("printf '%s' '").append(effect(stage)).append("' > tmp/").append(stage).append(".$$\n")
                .append("mv -f tmp/").append(stage).append(".$$ effects/").append(stage).append('\n')
                .toString();
    }

    private static void javaStage(RunContext context, String stage, List<String> needs, int sleepMillis)
            throws IOException, InterruptedException {
        Path workspace = context.workspace();
        String generation = context.environment().get(GENERATION);
        write(workspace.resolve("starts").resolve(stage + ".log"), stage + " " + generation + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        Thread.sleep(sleepMillis);
        for (String need : needs) {
            if (!Files.exists(workspace.resolve("effects").resolve(need))) {
                throw new IllegalStateException("stage '" + stage + "' ran before the effect of '" + need + "'");
            }
        }
        Path temporary = workspace.resolve("tmp").resolve(stage + "." + UUID.randomUUID());
        write(temporary, effect(stage), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Files.move(temporary, workspace.resolve("effects").resolve(stage), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void write(Path file, String text, StandardOpenOption... options) throws IOException {
        try (FileChannel channel = FileChannel.open(file, options)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
    }

    /** Makes the folders the stages write to. */
    static void prepare(Path workspace) throws IOException {
        for (String folder : List.of("starts", "effects", "tmp", "pids")) {
            Files.createDirectories(workspace.resolve(folder));
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: CrashChild WORKSPACE JOURNAL GENERATION [RUN_ID]");
            System.exit(2);
        }
        Path workspace = Path.of(args[0]);
        Path journal = Path.of(args[1]);
        prepare(workspace);
        LocalRunner runner = LocalRunner.builder()
                .workspace(workspace)
                .journal(journal)
                .locks(workspace.resolve("locks"))
                .environment(Map.of("PATH", System.getenv("PATH"), "HOME", workspace.toString(),
                        "LANG", "C.UTF-8", GENERATION, args[2]))
                .ref(Ref.branch("main"))
                .concurrency(3)
                .gracePeriod(Duration.ofMillis(200))
                .discover(false)
                .build();
        Pipeline pipeline = pipeline();
        System.out.println("READY");
        System.out.flush();
        RunResult result = args.length == 4 ? runner.resume(pipeline, args[3]) : runner.run(pipeline);
        System.out.println("STATUS " + result.status() + " " + result.message().orElse(""));
        System.out.flush();
        System.exit(result.status() == RunStatus.SUCCEEDED ? 0 : 1);
    }
}
