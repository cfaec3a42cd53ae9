package dev.pipewright.examples;

import dev.pipewright.cli.Pipewright;
import dev.pipewright.examples.bench.Bench;
import dev.pipewright.git.GitPlugin;
import dev.pipewright.git.ScanSecretsCommand;
import java.util.Arrays;
import java.util.List;

/**
 * The Pipewright command line over the example pipelines: {@code java -jar pipewright-examples.jar list}.
 * {@code bench NAME [--json]} runs a {@linkplain Bench benchmark}, {@code scan-secrets ...} the
 * {@linkplain ScanSecretsCommand secret scanner}; every other command is {@link Pipewright}'s.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Pipewright.configureProcessLaunch(); // before the benchmarks start processes too
        if (args.length > 0 && args[0].equals("bench")) {
            Bench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("scan-secrets")) {
            ScanSecretsCommand.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        // Explicit plugins: repository facts from Git, and the sandbox's throwaway credentials for
        // the example's roles (its deploys go to a local folder). Nothing is left to ServiceLoader.
        Pipewright.main(args, List.of(new GitPlugin(), new SandboxCredentials()), HousingApi.pipeline());
    }
}
