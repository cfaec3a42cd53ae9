import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * The sample's deployment tool: publishes an artifact as the next version of a function in a
 * sandbox folder and moves the function's "live" alias to it, as a Lambda deploy does. Refuses
 * to run without deployment credentials, which only the stage acting as its role has. Publishing
 * the same artifact again moves nothing: the deploy is idempotent.
 */
public final class Deploy {
    public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
        if (args.length != 3) {
            System.err.println("usage: Deploy FUNCTION ARTIFACT SANDBOX");
            System.exit(2);
        }
        if (System.getenv("AWS_ACCESS_KEY_ID") == null || System.getenv("AWS_SECRET_ACCESS_KEY") == null) {
            System.err.println("no deployment credentials: the stage must act as its environment's role");
            System.exit(3);
        }
        String function = args[0];
        Path artifact = Path.of(args[1]);
        Path folder = Path.of(args[2]).resolve("lambda").resolve(function);
        Path versions = Files.createDirectories(folder.resolve("versions"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(artifact)));
        Path live = folder.resolve("live");
        if (Files.exists(live)) {
            String current = Files.readString(live).strip();
            Path currentSha = versions.resolve(current + ".sha256");
            if (Files.exists(currentSha) && Files.readString(currentSha).strip().equals(sha)) {
                System.out.println(function + ": version " + current + " is live already (sha256 " + sha + ")");
                return;
            }
        }
        int next;
        try (Stream<Path> existing = Files.list(versions)) {
            next = existing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar"))
                    .mapToInt(n -> Integer.parseInt(n.substring(0, n.length() - 4))).max().orElse(0) + 1;
        }
        Files.copy(artifact, versions.resolve(next + ".jar"));
        Files.writeString(versions.resolve(next + ".sha256"), sha + "\n");
        Path tmp = folder.resolve("live.tmp");
        Files.writeString(tmp, next + "\n");
        Files.move(tmp, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.out.println(function + ": published version " + next + " (sha256 " + sha + "), alias live -> "
                + next + ", deployed as " + System.getenv("AWS_ACCESS_KEY_ID"));
    }
}
