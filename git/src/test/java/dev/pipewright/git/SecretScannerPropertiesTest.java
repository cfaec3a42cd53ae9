package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SecretScannerPropertiesTest {
    private final SecretScanner scanner = SecretScanner.defaults();

    @Provide
    Arbitrary<String> ruleIds() {
        return Arbitraries.of(FakeSecrets.RULE_IDS);
    }

    @Property(tries = 2000, seed = "20261126")
    void scan_anyValidFake_isFoundByItsRuleAtItsColumnAndMasked(
            @ForAll("ruleIds") String ruleId, @ForAll long seed) {
        FakeSecrets.Fake fake = FakeSecrets.valid(ruleId, new Random(seed));
        String value = fake.value().replace("\n", "\\n");
        String text = "# x\r\n" + fake.name().toUpperCase() + "='" + value + "'\r\n";

        List<SecretFinding> findings = scanner.scan("a/.env", text);

        assertThat(findings).extracting(SecretFinding::rule).containsExactly(ruleId);
        assertThat(findings.get(0).column()).isEqualTo(fake.name().length() + 3 + fake.offset());
        String secret = fake.secret().replace("\n", "\\n");
        assertThat(findings.get(0).toString()).doesNotContain(secret.substring(4, secret.length() - 4));
    }

    @Property(tries = 2000, seed = "20261126")
    void scan_anyDecoy_reportsNothing(@ForAll("ruleIds") String ruleId, @ForAll long seed) {
        FakeSecrets.Fake decoy = FakeSecrets.decoy(ruleId, new Random(seed));
        String text = decoy.name() + ": \"" + decoy.value().replace("\n", "\\n") + "\"\n";

        assertThat(scanner.scan("values.yaml", text)).isEmpty();
    }
}
