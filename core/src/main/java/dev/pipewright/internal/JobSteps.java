package dev.pipewright.internal;

import dev.pipewright.Pipeline;
import dev.pipewright.Stage;
import dev.pipewright.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of a stage's CircleCI job, hooks included, in order: the stage's steps, its
 * {@code onFailure} steps, then the pipeline's {@code onFailure} and {@code always} steps. The
 * compiler emits them in this order and the launcher's {@code step NAME STAGE N} counts in it,
 * so both must use this one list.
 */
public final class JobSteps {
    /** When CircleCI runs a step, as its {@code when} key says. */
    public enum When {
        ON_SUCCESS("on_success"), ON_FAIL("on_fail"), ALWAYS("always");

        private final String yaml;

        When(String yaml) {
            this.yaml = yaml;
        }

        /** The value of CircleCI's {@code when} key. */
        public String yaml() {
            return yaml;
        }
    }

    /**
     * One step of a job.
     *
     * @param step the step
     * @param when when it runs
     * @param path where it is declared, for messages: {@code step 2}, {@code onFailure step 1},
     *     {@code pipeline onFailure step 1}, {@code pipeline always step 1}
     */
    public record Entry(Step step, When when, String path) { }

    private JobSteps() { }

    /** The job's steps for {@code stage} of {@code pipeline}. */
    public static List<Entry> of(Pipeline pipeline, Stage stage) {
        List<Entry> entries = new ArrayList<>();
        add(entries, stage.steps(), When.ON_SUCCESS, "step ");
        add(entries, stage.onFailure(), When.ON_FAIL, "onFailure step ");
        add(entries, pipeline.onFailure(), When.ON_FAIL, "pipeline onFailure step ");
        add(entries, pipeline.always(), When.ALWAYS, "pipeline always step ");
        return List.copyOf(entries);
    }

    private static void add(List<Entry> into, List<Step> steps, When when, String label) {
        for (int i = 0; i < steps.size(); i++) {
            into.add(new Entry(steps.get(i), when, label + (i + 1)));
        }
    }
}
