package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import com.palantir.javapoet.CodeBlock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCodeTest {
    @TempDir
    Path dir;

    /** Pieces that text blocks must escape, strip or keep: quotes, backslashes, spaces at line ends. */
    private static final String[] PIECES = {"a", "echo", " ", "  ", "\t", "\"", "\"\"", "\"\"\"", "\\", "\\n", "\n",
        "\n\n", "\r", "'", "é", "€", "\u0001", "\u007f", "$", "{{", "}}", "<<", ">>", "%s", "\\s", "\u2003"};

    @Test
    void literal_awkwardStrings_compileToThemselves() throws ReflectiveOperationException {
        List<String> values = new ArrayList<>(List.of("", "\n", "a\nb", "a\nb\n", "\"\"\"\n\"\"\"", "x\"\n\"", "  \n  ",
                "line  \n\tindented\n", "ends with quote\"", "ends with quotes\"\"", "\\\n\\", " lead\n lead\n",
                "trailing\\"));
        Random random = new Random(20241126L);
        for (int i = 0; i < 400; i++) {
            StringBuilder value = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                value.append(PIECES[random.nextInt(PIECES.length)]);
            }
            values.add(value.toString());
        }
        CodeBlock.Builder array = CodeBlock.builder();
        values.forEach(v -> array.add("$L,\n", ImportCode.literal(v)));
        String source = "package texts;\n\npublic final class Texts {\n  public static final String[] VALUES = {\n"
                + array.build() + "  };\n}\n";

        ImportCompilation compiled = ImportCompilation.compile(Map.of("texts.Texts", source), dir);

        String[] back = (String[]) compiled.type("texts.Texts").getField("VALUES").get(null);
        assertThat(back).containsExactlyElementsOf(values);
        assertThat(source).as("several lines are text blocks").contains("\"\"\"\n");
    }

    @Test
    void literal_oneLine_isAQuotedString() {
        assertThat(ImportCode.literal("npm ci\n").toString()).isEqualTo("\"npm ci\\n\"");
        assertThat(ImportCode.literal("a \"b\"").toString()).isEqualTo("\"a \\\"b\\\"\"");
    }

    @Test
    void literal_scriptOfSeveralLines_readsAsWritten() {
        assertThat(ImportCode.literal("cd app\nnpm ci\n").toString()).isEqualTo("\"\"\"\n    cd app\n    npm ci\n    \"\"\"");
        assertThat(ImportCode.literal("cd app\nnpm ci").toString()).isEqualTo("\"\"\"\n    cd app\n    npm ci\\\n    \"\"\"");
    }
}
