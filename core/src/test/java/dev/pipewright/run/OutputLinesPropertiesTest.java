package dev.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class OutputLinesPropertiesTest {

    /** A pipe hands over bytes in chunks of any size: the lines must not depend on them. */
    @Property
    void write_anyChunking_sameLines(@ForAll("output") byte[] bytes,
            @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 64) Integer> chunks,
            @ForAll @IntRange(min = 4, max = 40) int max) {
        List<String> whole = lines(bytes, List.of(bytes.length + 1), max);

        assertThat(lines(bytes, chunks, max)).isEqualTo(whole);
    }

    @Property
    void write_anyOutput_linesWithinLimit(@ForAll("output") byte[] bytes,
            @ForAll @IntRange(min = 4, max = 40) int max) {
        for (String line : lines(bytes, List.of(bytes.length + 1), max)) {
            String text = line.substring(2).replace(OutputLines.CONTINUED, "");
            // each U+FFFD stands for one or more bytes, so characters never outnumber bytes
            assertThat(text.length()).isLessThanOrEqualTo(max);
        }
    }

    @Provide
    Arbitrary<byte[]> output() {
        Arbitrary<Byte> interesting = Arbitraries.of((byte) '\n', (byte) '\r', (byte) 'a', (byte) 0xC3, (byte) 0xA9,
                (byte) 0xE2, (byte) 0x82, (byte) 0xAC, (byte) 0xF0, (byte) 0x9F, (byte) 0xFF);
        return Arbitraries.oneOf(interesting, Arbitraries.bytes()).array(byte[].class).ofMaxSize(300);
    }

    private static List<String> lines(byte[] bytes, List<Integer> chunks, int max) {
        List<String> lines = new ArrayList<>();
        OutputLines out = new OutputLines("> ", max, lines::add);
        int offset = 0;
        int i = 0;
        while (offset < bytes.length) {
            int n = Math.min(chunks.isEmpty() ? bytes.length : chunks.get(i++ % chunks.size()), bytes.length - offset);
            out.write(bytes, offset, n);
            offset += n;
        }
        out.finish();
        return lines;
    }
}
