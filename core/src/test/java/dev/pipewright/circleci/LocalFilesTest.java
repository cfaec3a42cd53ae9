package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFilesTest {
    @TempDir
    Path workspace;

    private final Path home = Path.of(System.getProperty("user.home"));

    @Test
    void resolve_pathsUnderTheWorkingDirectory_landInTheWorkspace() {
        assertThat(LocalFiles.resolve(workspace, "~/project", "~/project/build")).isEqualTo(workspace.resolve("build"));
        assertThat(LocalFiles.resolve(workspace, "~/project", "/home/circleci/project")).isEqualTo(workspace);
        assertThat(LocalFiles.resolve(workspace, "/root/project", "~/project/x")).isEqualTo(workspace.resolve("x"));
        assertThat(LocalFiles.resolve(workspace, "~/project", "build/../out")).isEqualTo(workspace.resolve("out"));
        assertThat(LocalFiles.resolve(workspace, "~/project", ".")).isEqualTo(workspace);
    }

    @Test
    void resolve_aFolderHoldingTheWorkingDirectory_isTheWorkspaceNotTheHome() {
        assertThat(LocalFiles.resolve(workspace, "~/project", "~")).isEqualTo(workspace);
        assertThat(LocalFiles.resolve(workspace, "/home/circleci/repo", "/home/circleci")).isEqualTo(workspace);
    }

    @Test
    void resolve_otherPaths_areTheHostsOwn() {
        assertThat(LocalFiles.resolve(workspace, "~/project", "~/.m2")).isEqualTo(home.resolve(".m2"));
        assertThat(LocalFiles.resolve(workspace, "~/project", "/tmp/results")).isEqualTo(Path.of("/tmp/results"));
        assertThat(LocalFiles.resolve(workspace, "~/project", "~")).isNotEqualTo(home);
    }

    @Test
    void resolve_aRelativeWorkingDirectory_isAFolderOfTheWorkspace() {
        assertThat(LocalFiles.jobDirectory(workspace, "frontend")).isEqualTo(workspace.resolve("frontend"));
        assertThat(LocalFiles.resolve(workspace, "frontend", "dist")).isEqualTo(workspace.resolve("frontend/dist"));
    }

    @Test
    void holdsHome_isTrueForTheHomeAndItsParents() {
        assertThat(LocalFiles.holdsHome(home)).isTrue();
        assertThat(LocalFiles.holdsHome(Path.of("/"))).isTrue();
        assertThat(LocalFiles.holdsHome(workspace)).isFalse();
    }

    @Test
    void match_globs_findFilesAndFoldersOnce() throws IOException {
        Files.createDirectories(workspace.resolve("lib/sub"));
        Files.writeString(workspace.resolve("lib/a.jar"), "a");
        Files.writeString(workspace.resolve("lib/sub/b.jar"), "b");
        Files.writeString(workspace.resolve("lib/c.txt"), "c");

        assertThat(LocalFiles.match(workspace, "lib/*.jar")).containsExactly(workspace.resolve("lib/a.jar"));
        assertThat(LocalFiles.match(workspace, "lib/**.jar")).containsExactly(workspace.resolve("lib/a.jar"),
                workspace.resolve("lib/sub/b.jar"));
        assertThat(LocalFiles.match(workspace, "l*")).containsExactly(workspace.resolve("lib"));
        assertThat(LocalFiles.match(workspace, "lib")).containsExactly(workspace.resolve("lib"));
        assertThat(LocalFiles.match(workspace, "none")).isEmpty();
    }

    @Test
    void copy_mergesFoldersKeepsLinksAndSkipsWhatItIsTold() throws IOException {
        Path source = Files.createDirectories(workspace.resolve("src/skip"));
        Files.writeString(source.getParent().resolve("f.txt"), "new");
        Files.writeString(source.resolve("g.txt"), "g");
        Files.createSymbolicLink(source.getParent().resolve("link"), Path.of("f.txt"));
        Path target = Files.createDirectories(workspace.resolve("dst"));
        Files.writeString(target.resolve("f.txt"), "old");
        Files.writeString(target.resolve("kept.txt"), "kept");

        LocalFiles.copy(workspace.resolve("src"), target, java.util.List.of(source));

        assertThat(target.resolve("f.txt")).hasContent("new");
        assertThat(target.resolve("kept.txt")).hasContent("kept");
        assertThat(Files.isSymbolicLink(target.resolve("link"))).isTrue();
        assertThat(target.resolve("skip")).doesNotExist();
    }
}
