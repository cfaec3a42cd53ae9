package dev.pipewright.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a Lambda deploy moves its alias to the new version: at once, or through weighted steps
 * that each bake for {@code interval} while the alarms are watched.
 *
 * @param kind the strategy
 * @param percent the canary's weight, or the linear increment; 0 for all at once
 * @param interval how long each weighted step bakes; zero for all at once
 */
record LambdaTraffic(Kind kind, int percent, Duration interval) {
    static final LambdaTraffic ALL_AT_ONCE = new LambdaTraffic(Kind.ALL_AT_ONCE, 0, Duration.ZERO);

    /** The strategies, with their parameter spelling. */
    enum Kind {
        ALL_AT_ONCE("all-at-once"), CANARY("canary"), LINEAR("linear");

        final String id;

        Kind(String id) {
            this.id = id;
        }
    }

    /** The weights, in percent of the traffic, the new version gets before it gets it all. */
    List<Integer> steps() {
        List<Integer> steps = new ArrayList<>();
        switch (kind) {
            case ALL_AT_ONCE -> { }
            case CANARY -> steps.add(percent);
            case LINEAR -> {
                for (int w = percent; w < 100; w += percent) {
                    steps.add(w);
                }
            }
        }
        return List.copyOf(steps);
    }

    /** {@code all-at-once}, {@code canary 10% for PT5M}, {@code linear 10% every PT1M}. */
    @Override
    public String toString() {
        return switch (kind) {
            case ALL_AT_ONCE -> kind.id;
            case CANARY -> kind.id + " " + percent + "% for " + interval;
            case LINEAR -> kind.id + " " + percent + "% every " + interval;
        };
    }
}
