package dev.pipewright.git;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.pipewright.Check;
import dev.pipewright.CheckResult;
import dev.pipewright.Gate;
import dev.pipewright.Pipeline;
import dev.pipewright.RunContext;
import dev.pipewright.Stage;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate that blocks a deploy when the run's commits introduce a secret. Put it on every
 * deploy stage:
 *
 * <pre>{@code
 * Pipeline.named("housing-api")
 *     .environments(development, staging, production)
 *     .stage("test", s -> s.run("./mvnw -B verify"))
 *     .deploy(production, s -> s.needs("test").gate(SecretScanning.gate()).run("./deploy.sh"))
 *     .build();
 * }</pre>
 *
 * <p>and keep it there with a test: {@code assertThat(SecretScanning.unguardedStages(pipeline))
 * .isEmpty()}.
 *
 * <p>What the check scans, in the Git repository holding the run's workspace:
 *
 * <ul>
 *   <li>when the run's commit is known and not on the default branch: the lines added by the
 *       commits from the merge base with the default branch to the run's commit, as {@link
 *       SecretScan#scanRange} reads them;
 *   <li>when the commit is on the default branch (a deploy from {@code master}), or no default
 *       branch is found: every file of the commit's tree, since what is deployed must hold no
 *       secret;
 *   <li>when the commit is unknown: the working tree.
 * </ul>
 *
 * The default branch is the one the repository facts name: what {@code origin/HEAD} points at,
 * else {@code init.defaultBranch}, else {@code main} or {@code master}, at its pushed tip ({@code
 * origin/NAME}) when there is one. The allowlist is the {@value
 * SecretScan#ALLOWLIST_FILE} of the working tree, or the one of the {@link SecretScan} given. The
 * check fails, listing every finding masked, when anything is found, and fails closed when the
 * scan cannot run (no repository, an unknown commit, a shallow clone, an invalid allowlist).
 *
 * @since 0.1
 */
public final class SecretScanning {
    /** The name of the gate {@link #gate()} makes. */
    public static final String GATE_NAME = "no-new-secrets";

    private static final Logger LOG = LoggerFactory.getLogger(SecretScanning.class);
    /** Findings listed in a failed check's reason; the rest are counted. */
    private static final int LISTED = 20;
    private static final NewSecretsCheck DEFAULT = new NewSecretsCheck(SecretScan.defaults());

    private SecretScanning() {
    }

    /** The gate {@value #GATE_NAME}, checking with the built-in rules. Equal to every other. */
    public static Gate gate() {
        return Gate.check(GATE_NAME, DEFAULT);
    }

    /** The gate {@value #GATE_NAME}, checking with {@code scan} (its allowlist, say). */
    public static Gate gate(SecretScan scan) {
        return Gate.check(GATE_NAME, check(scan));
    }

    /** The check of {@link #gate()}, to put in a gate of another name. */
    public static Check check() {
        return DEFAULT;
    }

    /**
     * The check of {@link #gate(SecretScan)}.
     *
     * @throws NullPointerException if {@code scan} is null
     */
    public static Check check(SecretScan scan) {
        return new NewSecretsCheck(checkNotNull(scan, "scan"));
    }

    /**
     * The stages that deploy to an environment without a secret-scanning gate, in the pipeline's
     * order: empty when every deploy is guarded.
     *
     * @throws NullPointerException if {@code pipeline} is null
     */
    public static List<String> unguardedStages(Pipeline pipeline) {
        checkNotNull(pipeline, "pipeline");
        return pipeline.stages().stream()
                .filter(s -> s.environment().isPresent() && !isGuarded(s))
                .map(Stage::name)
                .toList();
    }

    private static boolean isGuarded(Stage stage) {
        return stage.gates().stream()
                .anyMatch(g -> g.check().filter(NewSecretsCheck.class::isInstance).isPresent());
    }

    /** Scans the run's commits; a record, so that equal scans make equal gates. */
    private record NewSecretsCheck(SecretScan scan) implements Check {
        @Override
        public CheckResult evaluate(RunContext context) {
            try {
                return scanRun(context);
            } catch (RuntimeException e) {
                LOG.debug("secret scan failed in {}", context.workspace(), e);
                return CheckResult.fail("the secret scan could not run, so the stage is blocked: "
                        + e.getMessage());
            }
        }

        private CheckResult scanRun(RunContext context) {
            SecretGitScan repository = SecretGitScan.open(context.workspace());
            Optional<String> commit = context.commit();
            if (commit.isEmpty()) {
                return verdict(scan.scanWorkingTree(context.workspace()), "the working tree (no commit"
                        + " is known for the run)");
            }
            SecretGitScan.Base base = repository.base(commit.get());
            if (base.commit() == null || base.commit().equals(base.head())) {
                String why = base.branch() == null ? "no default branch was found"
                        : "it is on the default branch " + base.branch();
                return verdict(repository.tree(scan, base.head()), "every file of commit "
                        + shortId(base.head()) + " (" + why + ")");
            }
            return verdict(scan.scanRange(context.workspace(), base.commit(), base.head()),
                    "the commits from " + shortId(base.commit()) + " (merge base with " + base.branch()
                            + ") to " + shortId(base.head()));
        }

        private static CheckResult verdict(SecretScanReport report, String scanned) {
            LOG.debug("secret scan of {}: {}", scanned, report);
            if (report.isClean()) {
                return CheckResult.pass("no secret in " + scanned + ": " + report);
            }
            StringBuilder reason = new StringBuilder(report.findings().size() == 1
                    ? "1 secret" : report.findings().size() + " secrets")
                    .append(" in ").append(scanned).append(':');
            report.findings().stream().limit(LISTED).forEach(f -> reason.append("\n  ").append(f));
            if (report.findings().size() > LISTED) {
                reason.append("\n  and ").append(report.findings().size() - LISTED).append(" more");
            }
            reason.append("\nRemove and revoke each secret, or allow it with a reasoned"
                    + " 'pipewright:allow <reason>' comment or an entry in " + SecretScan.ALLOWLIST_FILE
                    + " (scan-secrets --json prints fingerprints).");
            return CheckResult.fail(reason.toString());
        }

        private static String shortId(String id) {
            return id.substring(0, Math.min(12, id.length()));
        }
    }
}
