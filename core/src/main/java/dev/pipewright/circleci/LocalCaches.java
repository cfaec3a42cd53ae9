package dev.pipewright.circleci;

import com.google.common.hash.Hashing;
import dev.pipewright.spi.StepFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The caches of {@code save_cache} and {@code restore_cache}, kept in a folder that outlives runs.
 * Each cache is a folder named by its key's SHA-256, holding the key, when it was saved, and the
 * saved paths; a path under the job's folder is restored under the job's folder of the run that
 * restores it, any other path where it was. As on CircleCI, a key once saved is never overwritten,
 * and {@code restore_cache} takes the newest cache whose key starts with the first of its keys that
 * any cache starts with.
 */
final class LocalCaches {
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*(.*?)\\s*}}");
    private static final Pattern CHECKSUM = Pattern.compile("checksum\\s+\"([^\"]*)\"");
    private static final String KEY = "key";
    private static final String SAVED = "saved";
    private static final String MANIFEST = "manifest";
    private static final String FILES = "files";

    /** One saved cache. */
    record Entry(String key, long savedAt, Path folder) {
    }

    /** What a template needs: the variables, branch, commit and job folder of the step. */
    record Values(Map<String, String> environment, String branch, String revision, Path jobDirectory, long epochSeconds) {
    }

    private final Path folder;

    LocalCaches(Path folder) {
        this.folder = folder;
    }

    Path folder() {
        return folder;
    }

    /**
     * The key {@code template} gives: {@code {{ checksum "file" }}} (SHA-256 of the file, Base64),
     * {@code {{ .Branch }}}, {@code {{ .Revision }}}, {@code {{ .BuildNum }}},
     * {@code {{ .Environment.NAME }}} ({@code <no value>} when unset), {@code {{ epoch }}} and
     * {@code {{ arch }}}.
     *
     * @throws StepFailedException naming the template part that cannot be rendered
     */
    static String key(String template, Values values) {
        Matcher m = TEMPLATE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(part(m.group(1), values, template)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String part(String expression, Values values, String template) {
        Matcher checksum = CHECKSUM.matcher(expression);
        if (checksum.matches()) {
            Path file = values.jobDirectory().resolve(checksum.group(1)).normalize();
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                return Base64.getEncoder().encodeToString(digest.digest(Files.readAllBytes(file)));
            } catch (NoSuchFileException e) {
                throw new StepFailedException("cache key '" + template + "': {{ checksum \"" + checksum.group(1)
                        + "\" }} names no file (" + file + ").");
            } catch (IOException e) {
                throw new StepFailedException("cache key '" + template + "': cannot read " + file + ": " + e.getMessage());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }
        if (expression.startsWith(".Environment.")) {
            return values.environment().getOrDefault(expression.substring(".Environment.".length()), "<no value>");
        }
        return switch (expression) {
            case ".Branch" -> values.branch();
            case ".Revision" -> values.revision();
            case ".BuildNum" -> "1";
            case ".CheckoutKey" -> "";
            case "epoch" -> Long.toString(values.epochSeconds());
            case "arch" -> arch();
            default -> throw new StepFailedException("cache key '" + template + "': {{ " + expression + " }} is not a"
                    + " template CircleCI knows; use checksum \"file\", .Branch, .Revision, .BuildNum,"
                    + " .Environment.NAME, epoch or arch.");
        };
    }

    /** This machine's operating system and processor, as in {@code linux-amd64}. */
    static String arch() {
        String os = System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "");
        String cpu = System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT);
        cpu = switch (cpu) {
            case "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> cpu;
        };
        return (os.startsWith("mac") ? "darwin" : os) + "-" + cpu;
    }

    /** Every saved cache, newest first. */
    List<Entry> entries() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> all = Files.list(folder)) {
            for (Path f : all.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                try {
                    String key = Files.readString(f.resolve(KEY), StandardCharsets.UTF_8);
                    long saved = Long.parseLong(Files.readString(f.resolve(SAVED), StandardCharsets.UTF_8).strip());
                    out.add(new Entry(key, saved, f));
                } catch (NoSuchFileException | NumberFormatException e) {
                    continue; // not a cache, or one being deleted
                }
            }
        }
        out.sort(Comparator.comparingLong(Entry::savedAt).reversed().thenComparing(Entry::key));
        return out;
    }

    /** The newest cache whose key starts with {@code prefix}. */
    Optional<Entry> newest(String prefix) throws IOException {
        return entries().stream().filter(e -> e.key().startsWith(prefix)).findFirst();
    }

    /** Whether a cache with exactly this key exists. */
    boolean has(String key) {
        return Files.isRegularFile(folder.resolve(name(key)).resolve(KEY));
    }

    /**
     * Saves {@code paths} (absolute) under {@code key}; a path under {@code jobDirectory} is
     * recorded relative to it.
     *
     * @return false when a cache with this key was saved first, by this run or another
     */
    boolean save(String key, List<Path> paths, Path jobDirectory, long savedAt) throws IOException {
        Files.createDirectories(folder);
        Path temporary = folder.resolve(".saving-" + UUID.randomUUID());
        try {
            Files.createDirectories(temporary.resolve(FILES));
            StringBuilder manifest = new StringBuilder();
            for (int i = 0; i < paths.size(); i++) {
                Path p = paths.get(i);
                LocalFiles.copy(p, temporary.resolve(FILES).resolve(Integer.toString(i)));
                manifest.append(i).append('\t').append(p.startsWith(jobDirectory)
                        ? "job\t" + jobDirectory.relativize(p) : "absolute\t" + p).append('\n');
            }
            Files.writeString(temporary.resolve(MANIFEST), manifest.toString(), StandardCharsets.UTF_8);
            Files.writeString(temporary.resolve(SAVED), Long.toString(savedAt), StandardCharsets.UTF_8);
            Files.writeString(temporary.resolve(KEY), key, StandardCharsets.UTF_8);
            Path target = folder.resolve(name(key));
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot move a cache into place atomically in " + folder, e);
            } catch (FileSystemException e) {
                // Another step saved this key first: its rename won, caches are never overwritten.
                if (Files.exists(target)) {
                    return false;
                }
                throw e;
            }
        } finally {
            LocalFiles.delete(temporary);
        }
    }

    /** Restores {@code entry}'s paths; returns where they went. */
    List<Path> restore(Entry entry, Path jobDirectory) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(entry.folder().resolve(MANIFEST), StandardCharsets.UTF_8)) {
            String[] parts = line.split("\t", 3);
            if (parts.length < 3) {
                continue;
            }
            Path target = parts[1].equals("job") ? jobDirectory.resolve(parts[2]) : Path.of(parts[2]);
            LocalFiles.copy(entry.folder().resolve(FILES).resolve(parts[0]), target);
            out.add(target);
        }
        return out;
    }

    private static String name(String key) {
        return Hashing.sha256().hashString(key, StandardCharsets.UTF_8).toString();
    }
}
