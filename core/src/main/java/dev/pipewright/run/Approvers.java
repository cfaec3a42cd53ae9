package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableSet;
import dev.pipewright.spi.Approval;
import dev.pipewright.spi.ApprovalRequest;
import dev.pipewright.spi.Approver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;

/**
 * Ready-made {@link Approver}s: policies for the CLI's {@code --approve} and for tests, and a
 * prompt on the console.
 *
 * <pre>{@code
 * LocalRunner.builder().approver(Approvers.parse("approve-staging"));   // --approve approve-staging
 * LocalRunner.builder().approver(Approvers.console(in, System.out, "alice"));
 * }</pre>
 *
 * @since 0.1
 */
public final class Approvers {
    private Approvers() { }

    /** Approves every gate, as {@code who}. */
    public static Approver all(String who) {
        checkNotNull(who, "who");
        return request -> Approval.approve(who, "every approval granted by policy");
    }

    /** Refuses every gate. */
    public static Approver none() {
        return request -> Approval.refuse("policy", "no approval was granted: pass --approve "
                + request.gate().name() + " (or all), or run on a terminal to be asked");
    }

    /**
     * Approves the gates named in {@code names} (a gate's name, such as {@code approve-staging},
     * or the name of the stage behind it), refuses the others.
     */
    public static Approver only(Collection<String> names, String who) {
        Set<String> allowed = ImmutableSet.copyOf(names);
        checkNotNull(who, "who");
        return request -> allowed.contains(request.gate().name()) || allowed.contains(request.stage())
                ? Approval.approve(who, "granted on the command line")
                : Approval.refuse(who, "not among the approvals granted " + allowed + "; add "
                        + request.gate().name() + " to --approve to grant it");
    }

    /**
     * The CLI's {@code --approve} value: {@code all}, {@code none}, or gate or stage names
     * separated by commas.
     *
     * @throws IllegalArgumentException if {@code spec} is blank or has an empty name
     */
    public static Approver parse(String spec) {
        checkNotNull(spec, "spec");
        String s = spec.strip();
        checkArgument(!s.isEmpty(), "--approve needs all, none, or gate names separated by commas");
        String who = "--approve " + s + " (" + System.getProperty("user.name", "unknown user") + ")";
        if (s.equals("all")) {
            return all(who);
        }
        if (s.equals("none")) {
            return none();
        }
        return only(names(s), who);
    }

    /**
     * The gate or stage names of a {@code --approve} list, such as {@code approve-staging,deploy-production}.
     *
     * @throws IllegalArgumentException if a name is empty
     */
    public static Set<String> names(String spec) {
        checkNotNull(spec, "spec");
        ImmutableSet.Builder<String> names = ImmutableSet.builder();
        for (String n : spec.split(",", -1)) {
            checkArgument(!n.isBlank(), "--approve '%s' has an empty name; separate names with single commas",
                    spec);
            names.add(n.strip());
        }
        return names.build();
    }

    /**
     * Asks on the console, one approval at a time: {@code y} or {@code yes} approves, anything
     * else (or the end of input) refuses; a reason may follow the answer ({@code y ticket 42}).
     * The decision is recorded as {@code who}'s.
     */
    public static Approver console(BufferedReader in, PrintStream out, String who) {
        checkNotNull(in, "in");
        checkNotNull(out, "out");
        checkNotNull(who, "who");
        return new Approver() {
            @Override
            public synchronized Approval decide(ApprovalRequest r) throws IOException {
                out.println();
                out.println("Approval '" + r.gate().name() + "' for stage '" + r.stage() + "'"
                        + r.environment().map(e -> " (environment " + e + ")").orElse("") + ", " + r.facts());
                r.gate().message().ifPresent(m -> out.println("  " + m));
                if (!r.gate().approvers().isEmpty()) {
                    out.println("  approvers: " + String.join(", ", r.gate().approvers()));
                }
                out.print("Approve? [y/N, optionally followed by a reason] ");
                out.flush();
                String line = in.readLine();
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("the run was cancelled while waiting for an answer");
                }
                if (line == null) {
                    return Approval.refuse(who, "no answer: the console's input ended");
                }
                String[] answer = line.strip().split("\\s+", 2);
                String word = answer[0].toLowerCase(Locale.ROOT);
                String reason = answer.length > 1 ? answer[1] : "answered at the console";
                return word.equals("y") || word.equals("yes")
                        ? Approval.approve(who, reason)
                        : Approval.refuse(who, answer[0].isEmpty() ? "answered no at the console" : reason);
            }
        };
    }
}
