package dev.pipewright.spi;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Optional;

/**
 * A decision on a manual approval.
 *
 * @param approved whether the stage may go ahead
 * @param who who decided: a person, or a policy such as {@code --approve all}
 * @param why the reason given, if any
 * @since 0.1
 */
public record Approval(boolean approved, String who, Optional<String> why) {
    /** Checks {@code who} is not blank. */
    public Approval {
        checkNotNull(who, "who");
        checkNotNull(why, "why");
        checkArgument(!who.isBlank(), "who must not be blank");
    }

    /** {@code who} approves, for {@code why}. */
    public static Approval approve(String who, String why) {
        return new Approval(true, who, Optional.of(why));
    }

    /** {@code who} refuses, for {@code why}. */
    public static Approval refuse(String who, String why) {
        return new Approval(false, who, Optional.of(why));
    }
}
