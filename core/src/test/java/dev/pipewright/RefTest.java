package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class RefTest {

    @Test
    void branchAndTag_keepKindAndName() {
        assertThat(Ref.branch("master")).isEqualTo(new Ref(Ref.Kind.BRANCH, "master")).hasToString("branch master");
        assertThat(Ref.tag("v1.2.0")).isEqualTo(new Ref(Ref.Kind.TAG, "v1.2.0")).hasToString("tag v1.2.0");
    }

    @Test
    void of_blankName_rejectedNamingTheKind() {
        assertThatIllegalArgumentException().isThrownBy(() -> Ref.tag(" ")).withMessage("a tag name must not be blank");
        assertThatIllegalArgumentException().isThrownBy(() -> Ref.branch("")).withMessage("a branch name must not be blank");
    }
}
