package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A workflow trigger, {@code triggers: [{schedule: {...}}]}: runs the workflow on a
 * {@link Schedule}. Legacy: CircleCI replaces it with scheduled pipelines.
 *
 * @param schedule when and for which branches
 * @param extra keys the model does not know, as written
 * @since 0.1
 */
public record WorkflowTrigger(Schedule schedule, Map<String, @Nullable Object> extra) {

    /**
     * Checks the schedule is not null; copies {@code extra}.
     *
     * @throws IllegalArgumentException when {@code extra} holds {@code schedule}
     */
    public WorkflowTrigger {
        checkNotNull(schedule, "schedule");
        extra = PlainData.copyMap(extra);
        checkArgument(!extra.containsKey("schedule"), "extra cannot hold 'schedule', the typed component");
    }

    /** {@code {schedule: schedule}}. */
    public static WorkflowTrigger schedule(Schedule schedule) {
        return new WorkflowTrigger(schedule, Map.of());
    }

    Map<String, @Nullable Object> toData() {
        return new FieldWriter().put("schedule", schedule.toData()).build(extra);
    }

    private static final Shape<WorkflowTrigger> SHAPE = Shape.mapping("a mapping with a schedule", (m, p, w) -> {
        if (!(m.get("schedule") instanceof Map)) {
            return null;
        }
        FieldReader r = new FieldReader(m, p, w, "a trigger");
        Schedule[] schedule = new Schedule[1];
        r.read("schedule", Schedule.SHAPE, s -> schedule[0] = s);
        return new WorkflowTrigger(schedule[0], r.extra());
    });

    /** A {@code triggers} list. */
    static final Shape<List<WorkflowTrigger>> LIST = Shape.listOf("a list of triggers, each a mapping with a schedule", SHAPE);
}
