package dev.pipewright.examples;

import dev.pipewright.cli.Pipewright;
import dev.pipewright.examples.bench.Bench;
import dev.pipewright.git.ScanSecretsCommand;
import java.util.Arrays;

/**
 * The Pipewright command line over the example pipelines: {@code java -jar pipewright-examples.jar list}.
 * {@code bench NAME [--json]} runs a {@linkplain Bench benchmark}, {@code scan-secrets ...} the
 * {@linkplain ScanSecretsCommand secret scanner}; every other command is {@link Pipewright}'s.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("bench")) {
            Bench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("scan-secrets")) {
            ScanSecretsCommand.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Pipewright.main(args, HousingApi.pipeline());
    }
}
