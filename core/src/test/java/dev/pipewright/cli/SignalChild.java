package dev.pipewright.cli;

import dev.pipewright.JavaStep;
import dev.pipewright.Pipeline;
import java.nio.file.Files;

/** A command line whose pipeline sleeps, for {@link SignalTest} to stop with a signal. */
public final class SignalChild {
    private SignalChild() {
    }

    public static void main(String[] args) {
        Pipeline p = Pipeline.named("sleepy")
                .stage("long", s -> s.run("echo $$ > long.pid; echo started; sleep 60"))
                .onFailure(JavaStep.of("notify", c -> Files.writeString(c.workspace().resolve("notified"),
                        "run " + c.environment().get("PIPEWRIGHT_RUN_STATUS"))))
                .build();
        Pipewright.main(args, p);
    }
}
