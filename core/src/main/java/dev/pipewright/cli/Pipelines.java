package dev.pipewright.cli;

import dev.pipewright.Pipeline;
import java.util.Map;

/** Looks pipelines up by the name given on the command line. */
final class Pipelines {
    private Pipelines() {
    }

    static Pipeline find(Map<String, Pipeline> pipelines, String name) {
        Pipeline p = pipelines.get(name);
        if (p == null) {
            throw new UsageException("no pipeline is called '" + name + "'; pipelines: " + pipelines.keySet()
                    + ". Run 'list' to see them.");
        }
        return p;
    }
}
