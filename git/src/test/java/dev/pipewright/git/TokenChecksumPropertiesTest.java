package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TokenChecksumPropertiesTest {

    @Property(seed = "20261126")
    void base62_roundTripsThroughTheAlphabet(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long v) {
        String digits = TokenChecksum.base62(v, 6);
        long back = 0;
        for (char c : digits.toCharArray()) {
            back = back * 62 + FakeSecrets.BASE62.indexOf(c);
        }
        assertThat(digits).hasSize(6);
        assertThat(back).isEqualTo(v);
    }

    @Property(seed = "20261126")
    void isValid_generatedToken_holdsAndAnyChangedCharacterBreaksIt(@ForAll long seed) {
        Random random = new Random(seed);
        String token = FakeSecrets.checksummed(random, "ghp_", 30);
        int at = 4 + random.nextInt(36);
        char replaced = token.charAt(at) == 'z' ? 'y' : 'z';
        String changed = token.substring(0, at) + replaced + token.substring(at + 1);

        assertThat(TokenChecksum.isValid(token)).isTrue();
        assertThat(TokenChecksum.isValid(changed)).isFalse();
    }

    @Test
    void of_knownCrc() {
        // CRC32("123456789") is the standard check value 0xCBF43926; base62 computed independently.
        assertThat(TokenChecksum.of("123456789")).isEqualTo("3jZRME");
        assertThat(TokenChecksum.base62(0, 6)).isEqualTo("000000");
    }
}
