package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PathPatternTest {

    private static List<PathPattern> patterns(String... globs) {
        return java.util.Arrays.stream(globs).map(PathPattern::of).toList();
    }

    @Test
    void matches_trailingDoubleStar_matchesEverythingInsideTheFolderOnly() {
        PathPattern payments = PathPattern.of("services/payments/**");

        assertThat(payments.matches("services/payments/pom.xml")).isTrue();
        assertThat(payments.matches("services/payments/src/main/java/Pay.java")).isTrue();
        assertThat(payments.matches("services/payments")).isFalse();
        assertThat(payments.matches("services/payments-old/pom.xml")).isFalse();
        assertThat(payments.matches("other/services/payments/pom.xml")).isFalse();
    }

    @Test
    void matches_leadingDoubleStar_matchesAtAnyDepthIncludingTheRoot() {
        PathPattern markdown = PathPattern.of("**/*.md");

        assertThat(markdown.matches("README.md")).isTrue();
        assertThat(markdown.matches("docs/a/b.md")).isTrue();
        assertThat(markdown.matches("docs/a/b.mdx")).isFalse();
    }

    @Test
    void matches_middleDoubleStar_matchesZeroOrMoreFolders() {
        PathPattern api = PathPattern.of("src/**/api/*.java");

        assertThat(api.matches("src/api/A.java")).isTrue();
        assertThat(api.matches("src/main/java/api/A.java")).isTrue();
        assertThat(api.matches("src/main/java/api/sub/A.java")).isFalse();
        assertThat(api.matches("srcapi/A.java")).isFalse();
    }

    @Test
    void matches_doubleStarAlone_matchesEveryPath() {
        PathPattern all = PathPattern.of("**");

        assertThat(all.matches("a")).isTrue();
        assertThat(all.matches(".circleci/config.yml")).isTrue();
        assertThat(PathPattern.of("**/**").matches("a")).isTrue();
        assertThat(PathPattern.of("a/**/**").matches("a")).isFalse();
        assertThat(PathPattern.of("a/**/**").matches("a/b")).isTrue();
    }

    @Test
    void matches_starAndQuestionMark_stayWithinOneSegment() {
        assertThat(PathPattern.of("*.md").matches("README.md")).isTrue();
        assertThat(PathPattern.of("*.md").matches("docs/README.md")).isFalse();
        assertThat(PathPattern.of("a?c").matches("abc")).isTrue();
        assertThat(PathPattern.of("a?c").matches("a/c")).isFalse();
        assertThat(PathPattern.of("a*").matches("a/b")).isFalse();
        assertThat(PathPattern.of("*").matches(".hidden")).isTrue();
    }

    @Test
    void matches_classes_matchOneCharacterAndNeverSlash() {
        assertThat(PathPattern.of("v[0-9].txt").matches("v7.txt")).isTrue();
        assertThat(PathPattern.of("v[0-9].txt").matches("vx.txt")).isFalse();
        assertThat(PathPattern.of("[!a]b").matches("ab")).isFalse();
        assertThat(PathPattern.of("[!a]b").matches("cb")).isTrue();
        assertThat(PathPattern.of("a[!b]c").matches("a/c")).isFalse();
        assertThat(PathPattern.of("a[^b]c").matches("axc")).isTrue();
        assertThat(PathPattern.of("a[+-0]c").matches("a,c")).isTrue();
        assertThat(PathPattern.of("a[+-0]c").matches("a/c")).isFalse();
        assertThat(PathPattern.of("[]]").matches("]")).isTrue();
    }

    @Test
    void matches_regexCharactersAndEscapes_areLiteral() {
        assertThat(PathPattern.of("a.b(c)+{d}$^|").matches("a.b(c)+{d}$^|")).isTrue();
        assertThat(PathPattern.of("a.b").matches("axb")).isFalse();
        assertThat(PathPattern.of("a\\*b").matches("a*b")).isTrue();
        assertThat(PathPattern.of("a\\*b").matches("axb")).isFalse();
        assertThat(PathPattern.of("\\!important").matches("!important")).isTrue();
        assertThat(PathPattern.of("\\!important").isNegated()).isFalse();
        assertThat(PathPattern.of("my docs/a b.txt").matches("my docs/a b.txt")).isTrue();
    }

    @Test
    void matches_isCaseSensitive() {
        assertThat(PathPattern.of("Docs/**").matches("docs/a")).isFalse();
    }

    @Test
    void selects_lastMatchingPatternDecides() {
        List<PathPattern> list = patterns("services/payments/**", "!services/payments/docs/**",
                "services/payments/docs/openapi.yaml");

        assertThat(PathPattern.selects(list, "services/payments/pom.xml")).isTrue();
        assertThat(PathPattern.selects(list, "services/payments/docs/guide.md")).isFalse();
        assertThat(PathPattern.selects(list, "services/payments/docs/openapi.yaml")).isTrue();
        assertThat(PathPattern.selects(list, "services/orders/pom.xml")).isFalse();
    }

    @Test
    void selects_changedPaths_trueWhenAnyIsSelected() {
        List<PathPattern> list = patterns("services/payments/**", "!**/*.md");

        assertThat(PathPattern.selects(list, Set.of("services/payments/README.md", "services/orders/A.java")))
                .isFalse();
        assertThat(PathPattern.selects(list, Set.of("services/payments/README.md", "services/payments/A.java")))
                .isTrue();
        assertThat(PathPattern.selects(list, Set.of())).isFalse();
        assertThat(PathPattern.selects(List.of(), Set.of("a"))).isFalse();
    }

    @Test
    void negated_matchesIgnoresTheBang() {
        PathPattern docs = PathPattern.of("!docs/**");

        assertThat(docs.isNegated()).isTrue();
        assertThat(docs.matches("docs/a.md")).isTrue();
        assertThat(docs.text()).isEqualTo("!docs/**");
        assertThat(PathPattern.selects(List.of(docs), "docs/a.md")).isFalse();
    }

    @Test
    void regex_listWithNegations_selectsWhatSelectsSelects() {
        List<PathPattern> list = patterns("services/**", "!services/*/docs/**", "services/a/docs/keep.md");
        Pattern regex = Pattern.compile(PathPattern.regex(list));

        for (String path : List.of("services/a/x", "services/a/docs/y", "services/a/docs/keep.md", "services/b/docs/z",
                "other")) {
            assertThat(regex.matcher(path).matches()).as(path).isEqualTo(PathPattern.selects(list, path));
        }
    }

    @Test
    void regex_holdsNoWhitespaceAndNoInterpolation() {
        String regex = PathPattern.of("my docs/<<x>>\ttab/#a").regex();

        assertThat(regex).doesNotContainPattern("\\s").doesNotContain("<<").doesNotStartWith("#");
        assertThat(Pattern.compile(regex).matcher("my docs/<<x>>\ttab/#a").matches()).isTrue();
    }

    @Test
    void regex_onlyNegations_matchesNothing() {
        assertThat(Pattern.compile(PathPattern.regex(patterns("!a"))).matcher("b").matches()).isFalse();
        assertThat(PathPattern.regex(List.of())).isEqualTo("(?!)");
    }

    @Test
    void of_invalidGlobs_sayWhatWhereAndTheFix() {
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.of(""))
                .withMessageContaining("an empty pattern matches nothing");
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.of("!"))
                .withMessageContaining("'!' negates nothing");
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.of("/services/**"))
                .withMessageContaining("starts with '/'").withMessageContaining("'services/**'");
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.of("services/"))
                .withMessageContaining("ends with '/'").withMessageContaining("'services/**'");
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.of("a//b"))
                .withMessageContaining("empty folder name ('//') at column 3");
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.of("./a"))
                .withMessageContaining("'.' segment at column 1");
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.of("a/../b"))
                .withMessageContaining("'..' segment at column 3");
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.of("src/a**"))
                .withMessageContaining("'**' inside a segment at column 6")
                .withMessageContaining("whole segment");
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.of("!src/[ab"))
                .withMessageContaining("path pattern '!src/[ab' has an unclosed '[' at column 6");
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.of("x[z-a]"))
                .withMessageContaining("range 'z-a' running backwards");
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.of("x[a/]"))
                .withMessageContaining("class holding '/'");
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.of("a\\"))
                .withMessageContaining("lone '\\'");
    }

    @Test
    void of_null_throwsNullPointerException() {
        assertThatNullPointerException().isThrownBy(() -> PathPattern.of(null));
        assertThatNullPointerException().isThrownBy(() -> PathPattern.of("a").matches(null));
    }

    @Test
    void equals_byText() {
        assertThat(PathPattern.of("a/**")).isEqualTo(PathPattern.of("a/**")).hasSameHashCodeAs(PathPattern.of("a/**"))
                .isNotEqualTo(PathPattern.of("!a/**")).hasToString("a/**");
    }

    @Test
    void stage_whenChanged_keepsPatternsAndTakesPartInEquality() {
        Stage stage = Stage.named("deploy-payments").run("deploy").whenChanged("services/payments/**", "!**/*.md")
                .build();

        assertThat(stage.whenChanged()).extracting(PathPattern::text)
                .containsExactly("services/payments/**", "!**/*.md");
        assertThat(stage.toBuilder().build()).isEqualTo(stage).hasSameHashCodeAs(stage);
        assertThat(stage.toBuilder().whenChanged().build()).isNotEqualTo(stage);
        assertThat(stage.toBuilder().whenChanged().build().whenChanged()).isEmpty();
        assertThat(Stage.named("s").run("x").build().whenChanged()).isEmpty();
    }

    @Test
    void stage_whenChangedInvalid_isABuildProblemWithTheStagePath() {
        assertThat(Rejected.problems(() -> Pipeline.named("p")
                .stage("deploy", s -> s.run("deploy").whenChanged("services/[a", "ok/**")).build())).anySatisfy(p -> assertThat(p.toString())
                .contains("deploy").contains("whenChanged").contains("unclosed '['"));
    }

    @Test
    void stage_whenChangedOnlyNegations_isAProblem() {
        assertThat(Rejected.problems(() -> Stage.named("s").run("x").whenChanged("!docs/**").build()))
                .anySatisfy(p -> assertThat(p.toString()).contains("whenChanged").contains("select no path"));
    }

    @Test
    void stage_whenChangedNull_isAProblem() {
        assertThat(Rejected.problems(() -> Stage.named("s").run("x").whenChanged("a", null).build()))
                .anySatisfy(p -> assertThat(p.toString()).contains("whenChanged").contains("null"));
    }
}
