package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SecretAllowlistTest {
    private static final Set<String> RULES = Set.of("npm-token", "generic-secret", "jwt");

    private static SecretFinding finding(String file, String rule, String secret) {
        return SecretFinding.of(file, rule, 3, 7, 3, secret);
    }

    @Test
    void glob_withoutSlash_matchesANameAtAnyDepth() {
        Pattern pem = SecretAllowlist.glob("*.pem");
        Pattern fixtures = SecretAllowlist.glob("fixtures/");

        assertThat(pem.matcher("key.pem").matches()).isTrue();
        assertThat(pem.matcher("a/b/key.pem").matches()).isTrue();
        assertThat(pem.matcher("a/key.pem.txt").matches()).isFalse();
        assertThat(fixtures.matcher("src/test/fixtures/deep/x.json").matches()).isTrue();
        assertThat(fixtures.matcher("src/test/fixtures2/x.json").matches()).isFalse();
    }

    @Test
    void glob_withSlash_matchesFromTheRoot() {
        Pattern glob = SecretAllowlist.glob("test/**/data?.json");

        assertThat(glob.matcher("test/data1.json").matches()).isTrue();
        assertThat(glob.matcher("test/a/b/data2.json").matches()).isTrue();
        assertThat(glob.matcher("src/test/data1.json").matches()).isFalse();
        assertThat(glob.matcher("test/data12.json").matches()).isFalse();
        assertThat(SecretAllowlist.glob("/docs").matcher("docs/api/readme.md").matches()).isTrue();
        assertThat(SecretAllowlist.glob("/docs").matcher("src/docs/readme.md").matches()).isFalse();
    }

    @Test
    void parse_everyKindOfEntry_allowsWhatItNames() {
        SecretFinding pinned = finding("config/app.env", "npm-token", "npm_abc");
        SecretAllowlist allowlist = SecretAllowlist.parse(".secrets-allowlist", String.join("\n",
                "# fixtures for the parser tests",
                "",
                "test/fixtures/**",
                "rule:jwt   # session tokens in docs are examples",
                "docs/** rule:generic-secret",
                pinned.fingerprint()), RULES);

        assertThat(allowlist.skipsFile("test/fixtures/a/keys.txt")).isTrue();
        assertThat(allowlist.skipsFile("docs/guide.md")).isFalse();
        assertThat(allowlist.allows(finding("src/App.java", "jwt", "eyJx"))).isTrue();
        assertThat(allowlist.allows(finding("docs/guide.md", "generic-secret", "s3cr3t"))).isTrue();
        assertThat(allowlist.allows(finding("src/guide.md", "generic-secret", "s3cr3t"))).isFalse();
        assertThat(allowlist.allows(pinned)).isTrue();
        assertThat(allowlist.allows(finding("config/app.env", "npm-token", "npm_other"))).isFalse();
        assertThat(allowlist.allows(finding("config/other.env", "npm-token", "npm_abc"))).isFalse();
    }

    @Test
    void parse_invalidLines_namesEachFileAndLine() {
        String text = String.join("\n",
                "rule:no-such-rule",
                "ok/**",
                "src/** docs/**",
                "!keep.txt",
                "a/[bc].txt");

        assertThatThrownBy(() -> SecretAllowlist.parse("ci/allow.txt", text, RULES))
                .isInstanceOf(SecretScanException.class)
                .hasMessageContaining("ci/allow.txt is invalid (4 problems)")
                .hasMessageContaining("ci/allow.txt:1: no rule 'no-such-rule'")
                .hasMessageContaining("ci/allow.txt:3: 'src/** docs/**' is not an entry")
                .hasMessageContaining("ci/allow.txt:4: '!keep.txt': negated globs are not supported")
                .hasMessageContaining("ci/allow.txt:5: 'a/[bc].txt': character classes")
                .hasMessageNotContaining("ci/allow.txt:2");
    }

    @Test
    void fingerprint_doesNotRevealTheSecret() {
        String secret = "npm_0123456789abcdefghijklmnopqrstuvwxyz";
        SecretFinding f = finding("a/.npmrc", "npm-token", secret);

        assertThat(f.fingerprint()).matches("a/\\.npmrc:npm-token:[0-9a-f]{16}")
                .doesNotContain(secret.substring(4, 12));
        assertThat(f.toString()).isEqualTo("a/.npmrc:3:7: npm-token: npm_****\u2026wxyz");
    }
}
