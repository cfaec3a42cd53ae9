package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.PipewrightException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiDefinitionTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void read_openApi3Yaml_givesTitleVersionAndPaths() throws Exception {
        Path file = write("openapi.yaml", """
                openapi: 3.0.3
                info:
                  title: Housing API
                  version: 1.4.0
                paths:
                  /tenancies:
                    get:
                      responses:
                        '200': {description: ok}
                  /health: {}
                """);

        OpenApiDefinition api = OpenApiDefinition.read(file);

        assertThat(api.specification()).isEqualTo("3.0.3");
        assertThat(api.title()).isEqualTo("Housing API");
        assertThat(api.version()).isEqualTo("1.4.0");
        assertThat(api.paths()).isEqualTo(2);
        assertThat(api.json()).isFalse();
        assertThat(api.mediaType()).isEqualTo("application/yaml");
        assertThat(api.content()).isEqualTo(Files.readAllBytes(file));
        assertThat(api).hasToString("API definition " + file + ": Housing API 1.4.0 (OpenAPI 3.0.3, 2 paths)");
    }

    @Test
    void read_swagger2Json_withTabs_isJson() throws Exception {
        Path file = write("swagger.json", "{\n\t\"swagger\": \"2.0\",\n\t\"info\": {\"title\": \"Housing\","
                + " \"version\": \"2\"},\n\t\"paths\": {\"/a\": {}}\n}\n");

        OpenApiDefinition api = OpenApiDefinition.read(file);

        assertThat(api.json()).isTrue();
        assertThat(api.mediaType()).isEqualTo("application/json");
        assertThat(api.specification()).isEqualTo("2.0");
        assertThat(api.toString()).contains("(Swagger 2.0, 1 path)");
    }

    @Test
    void read_listsEveryProblem_withLineAndColumn_andTheFix() throws Exception {
        Path file = write("openapi.yaml", """
                openapi: "2.1"
                info:
                  title: ""
                paths:
                  tenancies: {}
                  /health: {}
                  /health: {}
                """);

        assertThatThrownBy(() -> OpenApiDefinition.read(file))
                .isInstanceOf(PipewrightException.class)
                .hasMessage(file + " is not a valid API definition (5 problems):\n"
                        + " 1. 1:10: openapi is '2.1', not a 3.x.y version. Write the version of OpenAPI the"
                        + " definition follows, such as 3.0.3 or 3.1.0.\n"
                        + " 2. 3:10: info.title is empty. Give the API's name.\n"
                        + " 3. 3:3: info.version is missing. Give the API's version, such as 1.4.0.\n"
                        + " 4. 7:3: '/health' is repeated in paths (first at 6:3). Keep one of them.\n"
                        + " 5. 5:3: path 'tenancies' does not start with /. Write it as /tenancies.");
    }

    @Test
    void read_missingPartsAndWrongShapes_areNamed() throws Exception {
        Path file = write("api.yaml", "info: [a, b]\npaths: {}\n");

        assertThatThrownBy(() -> OpenApiDefinition.read(file)).hasMessage(file
                + " is not a valid API definition (3 problems):\n"
                + " 1. 1:1: neither openapi nor swagger is given. Start the definition with openapi: 3.0.3 (or"
                + " swagger: \"2.0\").\n"
                + " 2. 1:7: info is not a mapping. Add info with a title and the API's version.\n"
                + " 3. 2:8: paths is empty. Describe at least one path.");
    }

    @Test
    void read_syntaxErrors_areReportedWhereTheyAre() throws Exception {
        Path yaml = write("broken.yaml", "openapi: 3.0.3\ninfo:\n  title: [unclosed\n");
        Path json = write("broken.json", "{\"openapi\": \"3.0.3\",\n \"info\": {\"title\": \"x\",}\n");

        assertThatThrownBy(() -> OpenApiDefinition.read(yaml)).hasMessageStartingWith(yaml
                + " is not a valid API definition (1 problem):\n 1. 4:1: it is not valid YAML: ");
        assertThatThrownBy(() -> OpenApiDefinition.read(json)).hasMessageStartingWith(json
                + " is not a valid API definition (1 problem):\n 1. ").hasMessageContaining("it is not valid JSON");
    }

    @Test
    void read_emptyNotUtf8OrMissingFiles_areClearErrors() throws Exception {
        Path empty = write("empty.yaml", "");
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, new byte[] {'t', 'i', 't', 'l', 'e', ':', ' ', (byte) 0xe9});

        assertThatThrownBy(() -> OpenApiDefinition.read(empty)).hasMessageEndingWith(
                " 1. the file is empty; an OpenAPI definition is a mapping with openapi, info and paths.");
        assertThatThrownBy(() -> OpenApiDefinition.read(latin1)).hasMessageEndingWith(
                " 1. the file is not UTF-8 text. Save it as UTF-8.");
        assertThatThrownBy(() -> OpenApiDefinition.read(dir.resolve("nope.yaml"))).hasMessage("The API definition "
                + dir.resolve("nope.yaml") + " does not exist. Check the path given to OpenApi.publish(...),"
                + " relative to the workspace.");
    }
}
