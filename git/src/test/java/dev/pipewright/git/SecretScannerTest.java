package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SecretScannerTest {
    private final SecretScanner scanner = SecretScanner.defaults();

    static Stream<String> ruleIds() {
        return FakeSecrets.RULE_IDS.stream();
    }

    private static String envLine(FakeSecrets.Fake fake) {
        String value = fake.value().replace("\n", "\\n");
        return "# settings\n" + fake.name().toUpperCase() + "='" + value + "'\n";
    }

    @ParameterizedTest
    @MethodSource("ruleIds")
    void scan_plantedSecret_reportsRuleLineColumnAndMask(String ruleId) {
        FakeSecrets.Fake fake = FakeSecrets.valid(ruleId, new Random(ruleId.hashCode()));
        String text = envLine(fake);

        List<SecretFinding> findings = scanner.scan("app/.env", text);

        assertThat(findings).extracting(SecretFinding::rule).containsExactly(ruleId);
        SecretFinding finding = findings.get(0);
        assertThat(finding.line()).isEqualTo(2);
        assertThat(finding.column()).isEqualTo(fake.name().length() + 3 + fake.offset());
        String secret = fake.secret().replace("\n", "\\n");
        assertThat(finding.masked()).doesNotContain(secret.substring(4, secret.length() - 4));
    }

    @ParameterizedTest
    @MethodSource("ruleIds")
    void scan_decoyOfRule_reportsNothing(String ruleId) {
        FakeSecrets.Fake decoy = FakeSecrets.decoy(ruleId, new Random(ruleId.hashCode()));

        assertThat(scanner.scan("app/.env", envLine(decoy))).isEmpty();
    }

    @Test
    void rules_atLeastThirtyWithUniqueIds() {
        assertThat(FakeSecrets.RULE_IDS).hasSizeGreaterThanOrEqualTo(30).doesNotHaveDuplicates();
    }

    @Test
    void scan_referencesAndPlaceholders_reportsNothing() {
        String text = String.join("\n",
                "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "api_key: \"${API_KEY}\"",
                "api_key: $API_KEY",
                "token: \"<< pipeline.parameters.deploy_token >>\"",
                "password: \"{{ .Values.db.password }}\"",
                "client_secret = \"<your-client-secret>\"",
                "api_token = \"0f8fad5b-d9cb-469f-a165-70867728950e\"",
                "secret_sha = \"da39a3ee5e6b4b0d3255bfef95601890afd80709\"",
                "stripe_key = \"sk_live_0000000000000000000000000000\"",
                "password = changeme",
                "self._passphrase_callback = self._passphrase_helper.callback",
                "url = 'http://username:password@host.com:80/path'",
                "Location: http://example.com/cb#access_token=2YotnFZFEjr1zCsicMWpAA");

        assertThat(scanner.scan("config.txt", text)).isEmpty();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "REDIS_URL=redis://:Zx8qLm2Vt7Rw@cache.shop.io:6379/0 | database-url-password | 20",
            "Db=Server=tcp:db,1433;User Id=app;Password=Zx8q!Lm2Vt7;Encrypt=True | generic-password | 44",
            "settings.put(\"db.password\", \"Zx8q!Lm2Vt7Rw\"); | generic-password | 30",
            "export AWS_SECRET_KEY=aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7s | aws-secret-access-key | 23",
            "shop.aws.secret.access.key=aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7s | aws-secret-access-key | 28"})
    void scan_harderForms_reportsRuleAndColumn(String line, String rule, int column) {
        assertThat(scanner.scan("app.cfg", line + "\n"))
                .extracting(SecretFinding::rule, SecretFinding::column)
                .containsExactly(tuple(rule, column));
    }

    @Test
    void scan_harderDecoys_reportsNothing() {
        String text = String.join("\n",
                "broker_url: amqp://guest:guest@localhost:5672/",
                "DATABASE_URL=postgres://postgres:postgres@localhost:5432/test",
                "admin_password_hash: \"$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW\"",
                "password_digest = \"$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$qWe9Yh0Jr3nZx8LkPq2s\"",
                "smtp_password: 'bm90IG15IHJlYWwgcGFzc3dvcmQ='",
                "    String password = DEFAULT_ADMIN_PASSWORD_2024;",
                "token: ${{ secrets.GITHUB_TOKEN }}",
                "master_password: '{{resolve:secretsmanager:prod/db:SecretString:password}}'",
                "db_secret_arn = \"arn:aws:secretsmanager:eu-west-2:123456789012:secret:prod/db-Ab12Cd\"",
                "SECRET_CHARS = \"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/\"");

        assertThat(scanner.scan("values.yaml", text)).isEmpty();
    }

    @Test
    void scan_lockFile_isSkipped() {
        String token = FakeSecrets.valid("github-classic-pat", new Random(1)).value();

        assertThat(scanner.scan("web/package-lock.json", "\"token\": \"" + token + "\"")).isEmpty();
        assertThat(scanner.scan("go.sum", token)).isEmpty();
        assertThat(scanner.scan("web/lock.json", "\"x\": \"" + token + "\"")).hasSize(1);
    }

    @Test
    void scan_allowWithReason_suppressesSameAndNextLine() {
        String token = FakeSecrets.valid("npm-token", new Random(2)).value();
        String text = "# pipewright:allow fixture for the npm client tests\n"
                + "NPM_TOKEN=" + token + "\n"
                + "OTHER=" + token + " # pipewright:allow -- revoked in 2024\n";

        assertThat(scanner.scan(".env", text)).isEmpty();
    }

    @Test
    void scan_allowWithoutReason_suppressesNothingAndIsReported() {
        String token = FakeSecrets.valid("npm-token", new Random(3)).value();
        String text = "NPM_TOKEN=" + token + " # pipewright:allow\n";

        assertThat(scanner.scan(".env", text))
                .extracting(SecretFinding::rule, SecretFinding::column)
                .containsExactly(
                        tuple("npm-token", 11),
                        tuple(SecretScanner.ALLOW_WITHOUT_REASON, 54));
    }

    @Test
    void scan_allowMarkerInCodeNotAComment_neitherAllowsNorIsReported() {
        String token = FakeSecrets.valid("npm-token", new Random(4)).value();
        String text = "static final String MARKER = \"pipewright:allow\";\n"
                + "String token = \"" + token + "\"; String m = \"pipewright:allow it\";\n";

        assertThat(scanner.scan("Marker.java", text))
                .extracting(SecretFinding::rule, SecretFinding::line)
                .containsExactly(tuple("npm-token", 2));
    }

    @Test
    void mask_longSecret_keepsOnlyFourCharactersEachSide() {
        assertThat(SecretFinding.mask("ghp_abcdefghijklmnopqrstuvwxyz0123456789"))
                .isEqualTo("ghp_****\u20266789");
        assertThat(SecretFinding.mask("hunter2hunter2")).isEqualTo("****");
    }
}
