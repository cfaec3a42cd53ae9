package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SandboxCborTest {
    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void encode_followsRfc8949Examples() {
        // Appendix A of RFC 8949.
        assertThat(SandboxCbor.encode(0)).isEqualTo(hex("00"));
        assertThat(SandboxCbor.encode(23)).isEqualTo(hex("17"));
        assertThat(SandboxCbor.encode(24)).isEqualTo(hex("1818"));
        assertThat(SandboxCbor.encode(1000)).isEqualTo(hex("1903e8"));
        assertThat(SandboxCbor.encode(1000000L)).isEqualTo(hex("1a000f4240"));
        assertThat(SandboxCbor.encode(1000000000000L)).isEqualTo(hex("1b000000e8d4a51000"));
        assertThat(SandboxCbor.encode(-1000)).isEqualTo(hex("3903e7"));
        assertThat(SandboxCbor.encode(1.1)).isEqualTo(hex("fb3ff199999999999a"));
        assertThat(SandboxCbor.encode("\u00fc")).isEqualTo(hex("62c3bc"));
        assertThat(SandboxCbor.encode(List.of(1, List.of(2, 3)))).isEqualTo(hex("8201820203"));
        assertThat(SandboxCbor.encode(Map.of("a", 1))).isEqualTo(hex("a1616101"));
        assertThat(SandboxCbor.encode(Instant.ofEpochSecond(1363896240))).isEqualTo(hex("c11a514b67b0"));
        assertThat(SandboxCbor.encode(Instant.ofEpochSecond(1363896240, 500_000_000)))
                .isEqualTo(hex("c1fb41d452d9ec200000"));
    }

    @Test
    void decode_readsIndefiniteLengthsHalfFloatsAndTags() {
        assertThat(SandboxCbor.decode(hex("bf61610161629f0203ffff")))
                .isEqualTo(Map.of("a", 1L, "b", List.of(2L, 3L)));
        assertThat(SandboxCbor.decode(hex("7f657374726561646d696e67ff"))).isEqualTo("streaming");
        assertThat(SandboxCbor.decode(hex("f93c00"))).isEqualTo(1.0);
        assertThat(SandboxCbor.decode(hex("f9c400"))).isEqualTo(-4.0);
        assertThat(SandboxCbor.decode(hex("c11a514b67b0"))).isEqualTo(Instant.ofEpochSecond(1363896240));
        assertThat(SandboxCbor.decode(hex("c48221196ab3"))).isEqualTo(new BigDecimal("273.15"));
        assertThat(SandboxCbor.decode(new byte[0])).isEqualTo(Map.of());
        assertThat(SandboxCbor.decode(hex("f6"))).isNull();
    }

    @Test
    void decode_malformedInput_saysWhere() {
        assertThatThrownBy(() -> SandboxCbor.decode(hex("a26161"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset");
        assertThatThrownBy(() -> SandboxCbor.decode(hex("0000"))).hasMessageContaining("trailing bytes");
        assertThatThrownBy(() -> SandboxCbor.decode(hex("a10101"))).hasMessageContaining("key is not text");
    }

    @Property
    void encodeThenDecode_givesTheValueBack(@ForAll("values") Object value) {
        assertThat(SandboxCbor.decode(SandboxCbor.encode(value))).isEqualTo(value);
    }

    @Provide
    Arbitrary<Object> values() {
        Arbitrary<Object> leaves = Arbitraries.oneOf(
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE),
                Arbitraries.longs().between(0, 4_000_000_000L).map(s -> (Object) Instant.ofEpochSecond(s)));
        return Arbitraries.recursive(() -> leaves, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l)),
                Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(8), inner).ofMaxSize(4)
                        .map(m -> (Object) new LinkedHashMap<>(m))), 0, 3);
    }
}
