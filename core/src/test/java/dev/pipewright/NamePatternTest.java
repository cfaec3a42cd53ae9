package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class NamePatternTest {

    @Test
    void matches_exactName_matchesOnlyThatName() {
        NamePattern master = NamePattern.of("master");

        assertThat(master.isRegex()).isFalse();
        assertThat(master.problem()).isEmpty();
        assertThat(master.matches("master")).isTrue();
        assertThat(master.matches("Master")).isFalse();
        assertThat(master.matches("master-2")).isFalse();
    }

    @Test
    void matches_exactNameWithRegexCharacters_readsThemLiterally() {
        NamePattern dotted = NamePattern.of("release.1");

        assertThat(dotted.matches("release.1")).isTrue();
        assertThat(dotted.matches("releasex1")).isFalse();
    }

    @Test
    void matches_regex_mustMatchTheWholeName() {
        NamePattern release = NamePattern.of("/release-.*/");

        assertThat(release.isRegex()).isTrue();
        assertThat(release.matches("release-1.2")).isTrue();
        assertThat(release.matches("hotfix/release-1.2")).isFalse();
        assertThat(NamePattern.of("/dev/").matches("development")).isFalse();
        assertThat(NamePattern.of("/dev/").matches("dev")).isTrue();
    }

    @Test
    void problem_invalidRegex_saysWhatAndWhereAndMatchesNothing() {
        NamePattern broken = NamePattern.of("/release-[/");

        assertThat(broken.problem()).hasValueSatisfying(m -> assertThat(m)
                .startsWith("invalid regular expression /release-[/: ")
                .contains("near index"));
        assertThat(broken.matches("release-[")).isFalse();
    }

    @Test
    void problem_blankName_saysItMatchesNothing() {
        assertThat(NamePattern.of(" ").problem()).contains("a blank name matches nothing.");
        assertThat(NamePattern.of("").problem()).isPresent();
    }

    @Test
    void of_singleSlash_isAnExactName() {
        NamePattern slash = NamePattern.of("/");

        assertThat(slash.isRegex()).isFalse();
        assertThat(slash.matches("/")).isTrue();
    }

    @Test
    void of_null_throwsNullPointerExceptionAsDocumented() {
        assertThatNullPointerException().isThrownBy(() -> NamePattern.of(null)).withMessage("text");
    }

    @Test
    void equals_sameText_equalAndShownAsWritten() {
        assertThat(NamePattern.of("/v.*/")).isEqualTo(NamePattern.of("/v.*/")).hasSameHashCodeAs(NamePattern.of("/v.*/"));
        assertThat(NamePattern.of("/v.*/")).isNotEqualTo(NamePattern.of("v.*"));
        assertThat(NamePattern.of("/v.*/")).hasToString("/v.*/");
        assertThat(NamePattern.of("/v.*/").text()).isEqualTo("/v.*/");
    }
}
