package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateTest {
    private static final Check ALARMS_OK = ctx -> CheckResult.pass("no alarm");

    @Test
    void manualApproval_default_namedApprovalForAnyone() {
        Gate gate = Gate.manualApproval();

        assertThat(gate.name()).isEqualTo(Gate.DEFAULT_APPROVAL_NAME);
        assertThat(gate.kind()).isEqualTo(Gate.Kind.MANUAL_APPROVAL);
        assertThat(gate.isManualApproval()).isTrue();
        assertThat(gate.approvers()).isEmpty();
        assertThat(gate.timeout()).isEmpty();
        assertThat(gate.check()).isEmpty();
        assertThat(gate).hasToString("manual approval 'approval'");
    }

    @Test
    void manualApproval_withDetails_keepsThem() {
        Gate gate = Gate.manualApproval(a -> a.name("approve-production").message("Deploy?")
                .approvers("housing-leads").timeout(Duration.ofHours(8)));

        assertThat(gate.name()).isEqualTo("approve-production");
        assertThat(gate.message()).contains("Deploy?");
        assertThat(gate.approvers()).containsExactly("housing-leads");
        assertThat(gate.timeout()).contains(Duration.ofHours(8));
        assertThat(gate).hasToString("manual approval 'approve-production' by [housing-leads]");
    }

    @Test
    void check_validCheck_isNotAManualApproval() {
        Gate gate = Gate.check("alarms-ok", ALARMS_OK);

        assertThat(gate.kind()).isEqualTo(Gate.Kind.CHECK);
        assertThat(gate.isManualApproval()).isFalse();
        assertThat(gate.check()).containsSame(ALARMS_OK);
        assertThat(gate).hasToString("check 'alarms-ok'");
    }

    @Test
    void timeout_zeroOrNegative_reportsMustBePositive() {
        Problem zero = Rejected.problem(() -> Gate.manualApproval(a -> a.timeout(Duration.ZERO)));
        Problem negative = Rejected.problem(() -> Gate.manualApproval(a -> a.timeout(Duration.ofMinutes(-1))));

        assertThat(zero.path()).isEqualTo("timeout");
        assertThat(zero.message()).isEqualTo("must be positive but was PT0S.");
        assertThat(negative.message()).isEqualTo("must be positive but was PT-1M.");
    }

    @Test
    void approvers_blank_reported() {
        InvalidPipelineException e = Rejected.by(() -> Gate.manualApproval(a -> a.approvers("leads", " ")));

        assertThat(e.subject()).isEqualTo("Gate 'approval'");
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("approvers");
            assertThat(p.message()).isEqualTo("a blank approver was given.");
        });
    }

    @Test
    void check_withoutCheck_reportsCheck() {
        Problem p = Rejected.problem(() -> Gate.check("alarms-ok", null));

        assertThat(p.path()).isEqualTo("check");
        assertThat(p.message()).contains("null");
    }

    @Test
    void check_withApprovers_reportsThatChecksHaveNone() {
        Gate check = Gate.check("alarms-ok", ALARMS_OK);

        Problem p = Rejected.problem(() -> check.toBuilder().approvers("leads").build());

        assertThat(p.path()).isEqualTo("approvers");
        assertThat(p.message()).isEqualTo("a check gate has no approvers.");
    }

    @Test
    void name_invalid_reportsNameRule() {
        Problem p = Rejected.problem(() -> Gate.check("alarms ok", ALARMS_OK));

        assertThat(p.path()).isEqualTo("name");
        assertThat(p.message()).isEqualTo("'alarms ok' is not a valid name.");
    }

    @Test
    void manualApproval_nulls_reportedWithPathsNotThrown() {
        List<Problem> problems = Rejected.problems(() -> Gate.manualApproval(a -> a.name(null).message(null)
                .approvers((String) null).timeout(null)));

        assertThat(problems).extracting(Problem::path).containsExactly("name", "message", "approvers", "timeout");
        assertThat(Rejected.problem(() -> Gate.manualApproval(null)).path()).isEqualTo("details");
        assertThat(Rejected.problem(() -> Gate.check(null, ALARMS_OK)).path()).isEqualTo("name");
    }

    @Test
    void toBuilder_build_equalsOriginal() {
        Gate approval = Gate.manualApproval(a -> a.name("approve").message("m").approvers("x", "y")
                .timeout(Duration.ofMinutes(5)));
        Gate check = Gate.check("alarms-ok", ALARMS_OK);

        assertThat(approval.toBuilder().build()).isEqualTo(approval).hasSameHashCodeAs(approval);
        assertThat(check.toBuilder().build()).isEqualTo(check);
        assertThat(approval.toBuilder().name("other").build()).isNotEqualTo(approval);
    }
}
