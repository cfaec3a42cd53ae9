package dev.pipewright.spi;

/**
 * Decides manual approvals during a local run: a console prompt, the CLI's
 * {@code --approve all|none|GATE,...}, or a policy in tests ({@code Approvers} in the run
 * package has all three).
 *
 * <p>Called on a thread of its own, never holding a stage slot, possibly for several stages at
 * once. If the gate has a timeout and no decision comes in time, or the run is cancelled, the
 * thread is interrupted and the approval counts as refused.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Approver {
    /**
     * Approves or refuses {@code request}. The decision, with who and why, goes into the journal.
     *
     * @throws Exception if no decision can be had; counts as refused
     */
    Approval decide(ApprovalRequest request) throws Exception;
}
