package dev.pipewright.run;

import dev.pipewright.JavaStep;
import dev.pipewright.ShellStep;
import dev.pipewright.Step;
import dev.pipewright.spi.StepContext;
import dev.pipewright.spi.StepHandler;
import java.util.List;

/** The handlers every runner has: {@code shell} and {@code java} steps. */
final class BuiltInHandlers {
    private BuiltInHandlers() { }

    static List<StepHandler> all() {
        return List.of(new Shell(), new Java());
    }

    /** Runs a {@link ShellStep} through the stage's shell, environment and workspace. */
    static final class Shell implements StepHandler {
        @Override
        public String type() {
            return ShellStep.TYPE;
        }

        @Override
        public void run(Step step, StepContext context) {
            ((StageContext) context).shell((ShellStep) step);
        }
    }

    /** Runs a {@link JavaStep}'s action on the stage's thread. */
    static final class Java implements StepHandler {
        @Override
        public String type() {
            return JavaStep.TYPE;
        }

        @Override
        public void run(Step step, StepContext context) throws Exception {
            ((JavaStep) step).action().run(context);
        }
    }
}
