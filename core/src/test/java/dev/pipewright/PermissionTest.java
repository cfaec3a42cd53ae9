package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class PermissionTest {
    private static final String FUNCTION = "arn:aws:lambda:eu-west-2:111111111111:function:housing-api-production";

    @Test
    void covers_sameActionAndResource_covers() {
        Permission p = Permission.of("lambda:UpdateFunctionCode", FUNCTION);

        assertThat(p.covers(Permission.of("lambda:UpdateFunctionCode", FUNCTION))).isTrue();
        assertThat(p.covers(Permission.of("lambda:PublishVersion", FUNCTION))).isFalse();
    }

    @Test
    void covers_starWildcard_matchesAnyRun() {
        Permission p = Permission.of("lambda:Get*", "arn:aws:lambda:*:*:function:housing-api-*");

        assertThat(p.covers(Permission.of("lambda:GetFunction", FUNCTION))).isTrue();
        assertThat(p.covers(Permission.of("lambda:Get", FUNCTION))).isTrue();
        assertThat(p.covers(Permission.of("lambda:UpdateFunctionCode", FUNCTION))).isFalse();
        assertThat(p.covers(Permission.of("lambda:GetFunction", FUNCTION.replace("housing-api", "payroll"))))
                .isFalse();
        assertThat(Permission.of("*", "*").covers(Permission.of("s3:PutObject", "arn:aws:s3:::bucket/key")))
                .isTrue();
    }

    @Test
    void covers_questionMark_matchesExactlyOneCharacter() {
        Permission p = Permission.of("s3:GetObject", "arn:aws:s3:::bucket-?");

        assertThat(p.covers(Permission.of("s3:GetObject", "arn:aws:s3:::bucket-a"))).isTrue();
        assertThat(p.covers(Permission.of("s3:GetObject", "arn:aws:s3:::bucket-"))).isFalse();
        assertThat(p.covers(Permission.of("s3:GetObject", "arn:aws:s3:::bucket-ab"))).isFalse();
    }

    @Test
    void covers_actions_compareCaseInsensitively() {
        Permission p = Permission.of("LAMBDA:updatefunctioncode", FUNCTION);

        assertThat(p.covers(Permission.of("lambda:UpdateFunctionCode", FUNCTION))).isTrue();
        assertThat(Permission.of("lambda:get*", "*").covers(Permission.of("Lambda:GetAlias", "x"))).isTrue();
    }

    @Test
    void covers_resources_compareCaseSensitively() {
        Permission p = Permission.of("s3:GetObject", "arn:aws:s3:::Bucket/*");

        assertThat(p.covers(Permission.of("s3:GetObject", "arn:aws:s3:::bucket/key"))).isFalse();
        assertThat(p.covers(Permission.of("s3:GetObject", "arn:aws:s3:::Bucket/key"))).isTrue();
    }

    @Test
    void covers_broadNeed_notCoveredByNarrowGrant() {
        Permission narrow = Permission.of("s3:GetObject", "arn:aws:s3:::bucket/reports/*");

        assertThat(narrow.covers(Permission.of("s3:GetObject", "arn:aws:s3:::bucket/*"))).isFalse();
        assertThat(narrow.covers(Permission.of("s3:*", "arn:aws:s3:::bucket/reports/x"))).isFalse();
        assertThat(narrow.covers(Permission.of("s3:GetObject", "*"))).isFalse();
    }

    @Test
    void covers_broadGrant_coversNarrowerWildcardNeed() {
        Permission broad = Permission.of("s3:*", "arn:aws:s3:::bucket/*");

        assertThat(broad.covers(Permission.of("s3:Get*", "arn:aws:s3:::bucket/reports/*"))).isTrue();
        assertThat(broad.covers(Permission.of("s3:*", "arn:aws:s3:::bucket/*"))).isTrue();
        assertThat(Permission.of("*", "*").covers(Permission.of("*", "*"))).isTrue();
    }

    @Test
    void covers_singleCharacterGrant_doesNotCoverStarNeed() {
        // '?' grants one character; a needed '*' asks for any run, the empty one and longer ones too.
        Permission oneChar = Permission.of("lambda:Get?", "arn:aws:s3:::bucket-?");

        assertThat(oneChar.covers(Permission.of("lambda:Get*", "arn:aws:s3:::bucket-a"))).isFalse();
        assertThat(oneChar.covers(Permission.of("lambda:GetX", "arn:aws:s3:::bucket-*"))).isFalse();
        assertThat(oneChar.covers(Permission.of("lambda:Get?", "arn:aws:s3:::bucket-?"))).isTrue();
    }

    @Test
    void covers_grantStar_coversNeedWithStarInside() {
        // Every name "*" then "xa" stands for ends in "a", so "*a" covers it.
        assertThat(Permission.of("s3:GetObject", "*a").covers(Permission.of("s3:GetObject", "*xa"))).isTrue();
        assertThat(Permission.of("s3:GetObject", "a*b").covers(Permission.of("s3:GetObject", "a*xb"))).isTrue();
        assertThat(Permission.of("s3:GetObject", "*b").covers(Permission.of("s3:GetObject", "*"))).isFalse();
        assertThat(Permission.of("s3:GetObject", "a*").covers(Permission.of("s3:GetObject", "*a"))).isFalse();
    }

    @Test
    void of_blankParts_rejectedWithMessage() {
        assertThatIllegalArgumentException().isThrownBy(() -> Permission.of(" ", "*"))
                .withMessage("a permission's action must not be blank");
        assertThatIllegalArgumentException().isThrownBy(() -> Permission.of("s3:GetObject", ""))
                .withMessageContaining("use \"*\" for any");
        assertThatNullPointerException().isThrownBy(() -> Permission.of(null, "*")).withMessage("action");
    }

    @Test
    void toString_readsActionOnResource() {
        assertThat(Permission.of("s3:GetObject", "*")).hasToString("s3:GetObject on *");
    }
}
