package dev.pipewright.examples;

import dev.pipewright.cli.Pipewright;

/** The Pipewright command line over the example pipelines: {@code java -jar pipewright-examples.jar list}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Pipewright.main(args, HousingApi.pipeline());
    }
}
