package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class VersionTest {

    @Test
    void parse_numberVersion_keepsTheNumber() {
        CircleCiConfig config = Configs.read("version: 2.1\n");

        assertThat(config.version()).contains(Version.V2_1);
        assertThat(config.data().get("version")).isEqualTo(2.1);
    }

    @Test
    void parse_stringVersion_keepsTheString() {
        CircleCiConfig config = Configs.read("version: \"2.1\"\n");

        assertThat(config.version()).contains(Version.string("2.1"));
        assertThat(config.data().get("version")).isEqualTo("2.1");
    }

    @Test
    void parse_integerVersion_isALong() {
        CircleCiConfig config = Configs.read("version: 2\n");

        assertThat(config.version()).contains(Version.number("2"));
        assertThat(config.data().get("version")).isEqualTo(2L);
    }

    @Test
    void build_numberAndStringVersions_writeTheirOwnShapes() {
        assertThat(CircleCiConfig.builder().version(Version.V2_1).build().data())
                .isEqualTo(Configs.read("version: 2.1").data());
        assertThat(CircleCiConfig.builder().version(Version.string("2.1")).build().data())
                .isEqualTo(Configs.read("version: '2.1'").data());
    }

    @Test
    void number_isNormalisedToTheFormJavaPrints() {
        assertThat(Version.number("2.10").text()).isEqualTo("2.1");
        assertThat(Version.number("02").text()).isEqualTo("2");
        assertThat(Version.number("2.0")).isNotEqualTo(Version.number("2"));
    }

    @Test
    void number_notANumber_isRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Version.number("2.1.0")).withMessageContaining("2.1.0");
        assertThatIllegalArgumentException().isThrownBy(() -> new Version("2.10", true)).withMessageContaining("2.1");
    }

    @Test
    void parse_versionOfAnotherShape_isKeptWithAWarning() {
        CircleCiConfig config = Configs.read("version: [2.1]\n");

        assertThat(config.version()).isEmpty();
        assertThat(config.extra()).containsKey("version");
        assertThat(config.warnings()).singleElement().asString()
                .contains("config.yml:1:1: version: expected a version, as a string or a number but found a list");
    }

    @Test
    void toString_quotesStrings() {
        assertThat(Version.string("2.1")).hasToString("\"2.1\"");
        assertThat(Version.V2_1).hasToString("2.1");
    }
}
