package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.spi.StepFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCachesTest {
    @TempDir
    Path dir;

    private LocalCaches.Values values() {
        return new LocalCaches.Values(Map.of("NODE", "20"), "main", "abc123", dir, 1_700_000_000L);
    }

    @Test
    void key_rendersEveryTemplateCircleCiKnows() throws IOException, NoSuchAlgorithmException {
        Files.writeString(dir.resolve("package-lock.json"), "{}");
        String sum = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest("{}".getBytes(StandardCharsets.UTF_8)));

        String key = LocalCaches.key("v1-{{ .Branch }}-{{.Revision}}-{{ checksum \"package-lock.json\" }}"
                + "-{{ .Environment.NODE }}-{{ .Environment.NONE }}-{{ epoch }}-{{ arch }}", values());

        assertThat(key).isEqualTo("v1-main-abc123-" + sum + "-20-<no value>-1700000000-" + LocalCaches.arch());
        assertThat(LocalCaches.arch()).matches("[a-z0-9]+-[a-z0-9_]+");
    }

    @Test
    void key_missingChecksumFileOrUnknownTemplate_failsTheStepNamingIt() {
        assertThatThrownBy(() -> LocalCaches.key("v1-{{ checksum \"nope.lock\" }}", values()))
                .isInstanceOf(StepFailedException.class).hasMessageContaining("{{ checksum \"nope.lock\" }} names no file");
        assertThatThrownBy(() -> LocalCaches.key("v1-{{ .Nope }}", values()))
                .isInstanceOf(StepFailedException.class).hasMessageContaining("{{ .Nope }} is not a template CircleCI knows");
    }

    @Test
    void save_thenRestore_bringsBackFilesAndFolders() throws IOException {
        Path job = Files.createDirectories(dir.resolve("job"));
        Files.createDirectories(job.resolve("deps/sub"));
        Files.writeString(job.resolve("deps/sub/a.txt"), "a");
        Path outside = Files.writeString(dir.resolve("outside.txt"), "o");
        LocalCaches caches = new LocalCaches(dir.resolve("caches"));

        assertThat(caches.save("k-1", List.of(job.resolve("deps"), outside), job, 1)).isTrue();
        assertThat(caches.save("k-1", List.of(job.resolve("deps")), job, 2)).isFalse();
        Path other = Files.createDirectories(dir.resolve("other-job"));
        Files.delete(outside);
        List<Path> restored = caches.restore(caches.newest("k-").orElseThrow(), other);

        assertThat(restored).containsExactly(other.resolve("deps"), outside);
        assertThat(other.resolve("deps/sub/a.txt")).hasContent("a");
        assertThat(outside).hasContent("o");
        assertThat(caches.has("k-1")).isTrue();
    }

    @Test
    void newest_takesTheMostRecentCacheWithThePrefix() throws IOException {
        Path job = Files.createDirectories(dir.resolve("job"));
        Path file = Files.writeString(job.resolve("f"), "x");
        LocalCaches caches = new LocalCaches(dir.resolve("caches"));
        caches.save("deps-main-a", List.of(file), job, 10);
        caches.save("deps-main-b", List.of(file), job, 30);
        caches.save("deps-other", List.of(file), job, 50);

        assertThat(caches.newest("deps-main-").orElseThrow().key()).isEqualTo("deps-main-b");
        assertThat(caches.newest("deps-main-a").orElseThrow().key()).isEqualTo("deps-main-a");
        assertThat(caches.newest("nope")).isEmpty();
        assertThat(caches.entries()).extracting(LocalCaches.Entry::key).containsExactly("deps-other", "deps-main-b",
                "deps-main-a");
    }
}
