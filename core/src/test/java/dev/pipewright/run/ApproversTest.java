package dev.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.Gate;
import dev.pipewright.Ref;
import dev.pipewright.spi.Approval;
import dev.pipewright.spi.ApprovalRequest;
import dev.pipewright.spi.Facts;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApproversTest {
    private static final ApprovalRequest STAGING = new ApprovalRequest("run", "api", "deploy-staging",
            Optional.of("staging"), Gate.manualApproval(g -> g.name("approve-staging").message("Ship it?")
                    .approvers("leads")), Facts.builder().ref(Ref.branch("master")).commit("0123456789abcdef").build());

    @Test
    void parse_allNoneAndNames() throws Exception {
        assertThat(Approvers.parse("all").decide(STAGING).approved()).isTrue();
        assertThat(Approvers.parse("none").decide(STAGING).approved()).isFalse();
        assertThat(Approvers.parse("approve-staging").decide(STAGING).approved()).isTrue();
        assertThat(Approvers.parse("deploy-staging, other").decide(STAGING).approved()).isTrue();
        Approval refused = Approvers.parse("approve-production").decide(STAGING);
        assertThat(refused.approved()).isFalse();
        assertThat(refused.why()).hasValueSatisfying(w -> assertThat(w).contains("add approve-staging to --approve"));
        assertThatThrownBy(() -> Approvers.parse("a,,b")).hasMessageContaining("empty name");
        assertThatThrownBy(() -> Approvers.parse(" ")).hasMessageContaining("--approve needs");
    }

    @Test
    void console_asksWithTheGatesDetails_yesWithReasonApproves() throws Exception {
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        Approval a = Approvers.console(new BufferedReader(new StringReader("y ticket HSG-412\n")),
                new PrintStream(shown, true, StandardCharsets.UTF_8), "alice").decide(STAGING);

        assertThat(a).isEqualTo(new Approval(true, "alice", Optional.of("ticket HSG-412")));
        assertThat(shown.toString(StandardCharsets.UTF_8)).contains("Approval 'approve-staging' for stage"
                + " 'deploy-staging' (environment staging), branch master at 0123456789ab", "Ship it?",
                "approvers: leads", "Approve? [y/N");
    }

    @Test
    void console_anythingElseOrEndOfInput_refuses() throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(Approvers.console(new BufferedReader(new StringReader("\n")), quiet, "bob").decide(STAGING)
                .approved()).isFalse();
        assertThat(Approvers.console(new BufferedReader(new StringReader("nope, broken\n")), quiet, "bob")
                .decide(STAGING).why()).contains("broken");
        assertThat(Approvers.console(new BufferedReader(new StringReader("")), quiet, "bob").decide(STAGING).why())
                .hasValueSatisfying(w -> assertThat(w).contains("input ended"));
    }
}
