package dev.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The pid range a scan looks at; the scans themselves run in {@link ShellCommandTest}. */
class ProcessTreeTest {
    @Test
    void createdAfter_withoutWrapAround_pidsAfterTheRootUpToTheLast() {
        assertThat(ProcessTree.createdAfter(1001, 1000, 1005)).isTrue();
        assertThat(ProcessTree.createdAfter(1005, 1000, 1005)).isTrue();
        assertThat(ProcessTree.createdAfter(1000, 1000, 1005)).isFalse();
        assertThat(ProcessTree.createdAfter(999, 1000, 1005)).isFalse();
        assertThat(ProcessTree.createdAfter(1006, 1000, 1005)).isFalse(); // handed out before the pids came around
    }

    @Test
    void createdAfter_afterWrapAround_pidsAfterTheRootAndFromTheStartUpToTheLast() {
        assertThat(ProcessTree.createdAfter(32000, 30000, 500)).isTrue();
        assertThat(ProcessTree.createdAfter(300, 30000, 500)).isTrue();
        assertThat(ProcessTree.createdAfter(500, 30000, 500)).isTrue();
        assertThat(ProcessTree.createdAfter(501, 30000, 500)).isFalse();
        assertThat(ProcessTree.createdAfter(29999, 30000, 500)).isFalse();
    }

    @Test
    void createdAfter_lastUnknown_everyPid() {
        assertThat(ProcessTree.createdAfter(1, 1000, -1)).isTrue();
    }

    @Test
    void newMarker_differsEachTime() {
        assertThat(ProcessTree.newMarker()).hasSize(32).isNotEqualTo(ProcessTree.newMarker());
    }
}
