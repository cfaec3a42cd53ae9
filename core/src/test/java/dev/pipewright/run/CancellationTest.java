package dev.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CancellationTest {
    private final Cancellation cancellation = Cancellation.create();
    private final List<String> calls = new ArrayList<>();

    @Test
    void cancel_thenCancelNow_listenerCalledOncePerStep() {
        cancellation.onChange(() -> calls.add(state())).close();
        Cancellation.Registration r = cancellation.onChange(() -> calls.add(state()));

        cancellation.cancel();
        cancellation.cancel();
        cancellation.cancelNow();
        cancellation.cancelNow();
        r.close();

        assertThat(calls).containsExactly("cancelled", "forced");
    }

    @Test
    void cancelNow_alone_impliesCancel() {
        cancellation.cancelNow();

        assertThat(cancellation.isCancelled()).isTrue();
        assertThat(cancellation.isForced()).isTrue();
    }

    @Test
    void onChange_afterCancel_calledAtOnce() {
        cancellation.cancel();

        Cancellation.Registration r = cancellation.onChange(() -> calls.add(state()));

        assertThat(calls).containsExactly("cancelled");
        r.close();
    }

    @Test
    void close_registration_stopsCalls() {
        Cancellation.Registration r = cancellation.onChange(() -> calls.add(state()));
        r.close();

        cancellation.cancel();

        assertThat(calls).isEmpty();
    }

    @Test
    void cancel_listenerThrows_othersStillCalled() {
        Cancellation.Registration broken = cancellation.onChange(() -> {
            throw new IllegalStateException("broken");
        });
        Cancellation.Registration r = cancellation.onChange(() -> calls.add(state()));

        cancellation.cancel();
        broken.close();
        r.close();

        assertThat(calls).containsExactly("cancelled");
    }

    private String state() {
        return cancellation.isForced() ? "forced" : cancellation.isCancelled() ? "cancelled" : "active";
    }
}
