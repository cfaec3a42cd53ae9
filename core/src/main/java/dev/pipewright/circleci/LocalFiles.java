package dev.pipewright.circleci;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a CircleCI job's paths are on this machine, and copying them. A job's
 * {@code working_directory} ({@code ~/project} unless it says otherwise) stands for the run's
 * workspace: a path under it lands in the workspace, a relative path is relative to it, {@code ~}
 * is this user's home and any other absolute path is used as it is.
 */
final class LocalFiles {
    private LocalFiles() {
    }

    /** {@code path} written with {@code ~} for CircleCI's usual homes, without a trailing slash, for comparisons. */
    static String home(String path) {
        String p = path.strip();
        for (String home : List.of("/home/circleci", "/root", "$HOME", "${HOME}")) {
            if (p.equals(home) || p.startsWith(home + "/")) {
                p = "~" + p.substring(home.length());
            }
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** The folder the job works in: the workspace, or a folder in it for a relative working directory. */
    static Path jobDirectory(Path workspace, String workingDirectory) {
        String wd = home(workingDirectory);
        if (wd.isEmpty() || wd.equals(".") || wd.startsWith("~") || wd.startsWith("/")) {
            return workspace;
        }
        return workspace.resolve(wd).normalize();
    }

    /** Where {@code written}, a path in the job's configuration, is on this machine. */
    static Path resolve(Path workspace, String workingDirectory, String written) {
        Path job = jobDirectory(workspace, workingDirectory);
        String w = home(written);
        if (w.isEmpty() || w.equals(".")) {
            return job;
        }
        String wd = home(workingDirectory);
        if (wd.startsWith("~") || wd.startsWith("/")) {
            // The working directory, or a folder holding it (root: ~ with ~/project): CircleCI's jobs keep
            // the project there, and here the project is the workspace, never the user's home.
            if (w.equals(wd) || wd.startsWith(w.endsWith("/") ? w : w + "/")) {
                return job;
            }
            if (w.startsWith(wd + "/")) {
                return job.resolve(w.substring(wd.length() + 1)).normalize();
            }
        }
        if (w.equals("~")) {
            return Path.of(System.getProperty("user.home"));
        }
        if (w.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(w.substring(2)).normalize();
        }
        if (w.startsWith("/")) {
            return Path.of(w).normalize();
        }
        return job.resolve(w).normalize();
    }

    /** Whether {@code path} is this user's home or a folder holding it, which no step may copy whole. */
    static boolean holdsHome(Path path) {
        Path home = Path.of(System.getProperty("user.home")).toAbsolutePath().normalize();
        return home.startsWith(path.toAbsolutePath().normalize());
    }

    /** Whether {@code pattern} holds glob characters. */
    static boolean isGlob(String pattern) {
        return pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /**
     * The files and folders under {@code root} that {@code pattern} (relative to it) names: the one
     * path when it is no glob, else every path whose relative name the glob matches ({@code *}
     * within a folder, {@code **} across folders).
     */
    static List<Path> match(Path root, String pattern) throws IOException {
        String p = pattern.strip();
        if (!isGlob(p)) {
            Path one = root.resolve(p).normalize();
            return Files.exists(one, LinkOption.NOFOLLOW_LINKS) ? List.of(one) : List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + p);
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(f -> !f.equals(root) && matcher.matches(root.relativize(f))).sorted().forEach(out::add);
        }
        // A folder that matched brings its contents: drop what is inside another match.
        List<Path> kept = new ArrayList<>();
        for (Path f : out) {
            if (kept.stream().noneMatch(k -> f.startsWith(k) && !f.equals(k))) {
                kept.add(f);
            }
        }
        return kept;
    }

    /**
     * Copies {@code source}, a file, a link or a folder, to {@code target}, merging into folders
     * that exist and replacing files; links are copied as links, permissions kept.
     */
    static void copy(Path source, Path target) throws IOException {
        copy(source, target, List.of());
    }

    /**
     * As {@link #copy(Path, Path)}, leaving out the folders in {@code skip} (the run's own folder,
     * say, when it lies in the folder copied).
     */
    static void copy(Path source, Path target, List<Path> skip) throws IOException {
        List<Path> left = skip.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(target.toAbsolutePath().getParent());
            copyFile(source, target);
            return;
        }
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(source) && left.contains(dir.toAbsolutePath().normalize())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Path to = target.resolve(source.relativize(dir).toString());
                if (Files.isSymbolicLink(to) || Files.exists(to, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(to,
                        LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(to);
                }
                Files.createDirectories(to);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                copyFile(file, target.resolve(source.relativize(file).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void copyFile(Path file, Path to) throws IOException {
        if (Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
            delete(to);
        }
        Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
                LinkOption.NOFOLLOW_LINKS);
    }

    /** Deletes {@code path} and everything under it, if it exists. */
    static void delete(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(path);
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
