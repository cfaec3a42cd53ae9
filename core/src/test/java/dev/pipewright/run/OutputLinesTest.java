package dev.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputLinesTest {
    private final List<String> lines = new ArrayList<>();

    @Test
    void write_newlines_splitIntoPrefixedLinesKeepingEmptyOnes() {
        feed(OutputLines.MAX_LINE_BYTES, "one\n\ntwo\r\nthree\rstill three\n");

        assertThat(lines).containsExactly("> one", "> ", "> two", "> three\rstill three");
    }

    @Test
    void finish_lastLineWithoutNewline_delivered() {
        feed(OutputLines.MAX_LINE_BYTES, "done\nno newline");

        assertThat(lines).containsExactly("> done", "> no newline");
    }

    @Test
    void finish_afterNewline_deliversNothingMore() {
        feed(OutputLines.MAX_LINE_BYTES, "done\n");

        assertThat(lines).containsExactly("> done");
    }

    @Test
    void write_lineAtLimit_notCut() {
        feed(8, "12345678\n123456789\n");

        assertThat(lines).containsExactly("> 12345678", "> 12345678", "> " + OutputLines.CONTINUED + "9");
    }

    @Test
    void write_longLine_cutBetweenCharactersNeverInside() {
        String text = "é".repeat(5) + "€" + "😀" + "x";

        feed(8, text + "\n");

        assertThat(lines).noneMatch(l -> l.contains("\uFFFD"));
        assertThat(lines.get(0)).isEqualTo("> éééé");
        assertThat(lines.stream().map(l -> l.replace("> ", "").replace(OutputLines.CONTINUED, "")))
                .containsExactly("éééé", "é€", "😀x");
    }

    @Test
    void write_invalidUtf8_replaced() {
        OutputLines out = new OutputLines("> ", 16, lines::add);
        byte[] bytes = {'a', (byte) 0xFF, (byte) 0xC3, '\n', (byte) 0x80, 'b'};

        out.write(bytes, 0, bytes.length);
        out.finish();

        assertThat(lines).containsExactly("> a\uFFFD\uFFFD", "> \uFFFDb");
    }

    @Test
    void write_oneByteAtATime_sameLines() {
        String text = "first\r\nsecond é line that is long\n\nlast";
        feed(8, text);
        List<String> whole = List.copyOf(lines);
        lines.clear();

        OutputLines out = new OutputLines("> ", 8, lines::add);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            out.write(new byte[] {b}, 0, 1);
        }
        out.finish();

        assertThat(lines).isEqualTo(whole);
    }

    @Test
    void constructor_limitBelowOneCharacter_rejected() {
        assertThatThrownBy(() -> new OutputLines("", 3, lines::add)).isInstanceOf(IllegalArgumentException.class);
    }

    private void feed(int max, String text) {
        OutputLines out = new OutputLines("> ", max, lines::add);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.finish();
    }
}
