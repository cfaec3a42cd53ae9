package dev.pipewright.git;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed allowlist file of a {@link SecretScan}; see {@link SecretScan.Builder#allowlist} for
 * the format. Immutable and thread-safe.
 */
final class SecretAllowlist {
    static final SecretAllowlist NONE = new SecretAllowlist("no allowlist", List.of(), Set.of());

    private static final Pattern FINGERPRINT =
            Pattern.compile("(.+):([a-z0-9][a-z0-9\\-]*):([0-9a-f]{16})");
    private static final Pattern RULE_ID = Pattern.compile("[a-z0-9][a-z0-9\\-]*");
    private static final Pattern TRAILING_COMMENT = Pattern.compile("\\s#");

    /** A path glob, with the rule it allows there, or every rule when {@code rule} is null. */
    private record Entry(String glob, Pattern path, String rule) {
        boolean allFiles() {
            return glob.isEmpty();
        }
    }

    private final String source;
    private final List<Entry> entries;
    private final Set<String> fingerprints;

    private SecretAllowlist(String source, List<Entry> entries, Set<String> fingerprints) {
        this.source = source;
        this.entries = List.copyOf(entries);
        this.fingerprints = Set.copyOf(fingerprints);
    }

    /**
     * Reads an allowlist file.
     *
     * @throws SecretScanException if the file cannot be read or a line is invalid, naming every
     *     invalid line as {@code file:line}
     */
    static SecretAllowlist read(Path file, Set<String> ruleIds) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SecretScanException("The allowlist " + file + " does not exist. Create it or"
                    + " leave the allowlist out.", e);
        } catch (IOException e) {
            throw new SecretScanException("Cannot read the allowlist " + file + ": " + e.getMessage()
                    + ". Check that it is a readable UTF-8 text file.", e);
        }
        return parse(file.toString(), text, ruleIds);
    }

    /**
     * Parses the text of an allowlist called {@code source} in messages.
     *
     * @throws SecretScanException naming every invalid line as {@code source:line}
     */
    static SecretAllowlist parse(String source, String text, Set<String> ruleIds) {
        checkNotNull(source, "source");
        checkNotNull(text, "text");
        List<Entry> entries = new ArrayList<>();
        Set<String> fingerprints = new HashSet<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String where = source + ":" + (i + 1);
            String line = withoutComment(lines[i]);
            if (line.isEmpty()) {
                continue;
            }
            try {
                String[] words = line.split("\\s+");
                Matcher fingerprint = FINGERPRINT.matcher(line);
                if (words.length == 1 && fingerprint.matches() && !line.startsWith("rule:")) {
                    checkRule(fingerprint.group(2), ruleIds);
                    fingerprints.add(normalise(fingerprint.group(1)) + ":" + fingerprint.group(2) + ":"
                            + fingerprint.group(3));
                } else if (words.length == 1 && line.startsWith("rule:")) {
                    entries.add(new Entry("", Pattern.compile(".*"), checkRule(line.substring(5), ruleIds)));
                } else if (words.length == 1) {
                    entries.add(new Entry(line, glob(line), ""));
                } else if (words.length == 2 && words[1].startsWith("rule:")) {
                    entries.add(new Entry(words[0], glob(words[0]),
                            checkRule(words[1].substring(5), ruleIds)));
                } else {
                    throw new IllegalArgumentException("'" + line + "' is not an entry. Write one entry a"
                            + " line: a path glob, rule:<id>, a glob and rule:<id>, or a fingerprint"
                            + " file:rule:digest");
                }
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage() + ".");
            }
        }
        if (!problems.isEmpty()) {
            StringBuilder message = new StringBuilder("The allowlist " + source + " is invalid ("
                    + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "):");
            for (int i = 0; i < problems.size(); i++) {
                message.append("\n ").append(i + 1).append(". ").append(problems.get(i));
            }
            throw new SecretScanException(message.toString());
        }
        return new SecretAllowlist(source, entries, fingerprints);
    }

    /** Whole-line comments and comments after a space. */
    private static String withoutComment(String line) {
        String stripped = line.strip();
        if (stripped.startsWith("#")) {
            return "";
        }
        Matcher comment = TRAILING_COMMENT.matcher(stripped);
        return comment.find() ? stripped.substring(0, comment.start()).strip() : stripped;
    }

    private static String checkRule(String id, Set<String> ruleIds) {
        if (!RULE_ID.matcher(id).matches() || !ruleIds.contains(id)) {
            throw new IllegalArgumentException("no rule '" + id + "'. Rules: "
                    + String.join(", ", new TreeSet<>(ruleIds)));
        }
        return id;
    }

    private static String normalise(String path) {
        String p = path.replace('\\', '/');
        return p.startsWith("./") ? p.substring(2) : p;
    }

    /**
     * A glob as a pattern over relative paths: {@code **} any number of folders, {@code *} and
     * {@code ?} within one name; without a {@code /} it matches a file or folder name at any depth,
     * with one it matches from the root; a match of a folder covers everything in it.
     */
    static Pattern glob(String glob) {
        if (glob.startsWith("!")) {
            throw new IllegalArgumentException("'" + glob + "': negated globs are not supported. List"
                    + " the paths to allow instead");
        }
        if (glob.contains("[") || glob.contains("]") || glob.contains("{") || glob.contains("}")) {
            throw new IllegalArgumentException("'" + glob + "': character classes and braces are not"
                    + " supported. Use *, ? and **");
        }
        String g = normalise(glob);
        boolean anchored = g.startsWith("/") || g.substring(0, Math.max(0, g.length() - 1))
                .contains("/");
        g = g.replaceAll("^/+", "").replaceAll("/+$", "");
        if (g.isEmpty()) {
            throw new IllegalArgumentException("'" + glob + "' matches no path. Name a file or folder");
        }
        StringBuilder regex = new StringBuilder(anchored ? "" : "(?:.*/)?");
        int i = 0;
        while (i < g.length()) {
            char c = g.charAt(i);
            if (g.startsWith("**/", i)) {
                regex.append("(?:.*/)?");
                i += 3;
            } else if (g.startsWith("**", i)) {
                regex.append(".*");
                i += 2;
            } else if (c == '*') {
                regex.append("[^/]*");
                i++;
            } else if (c == '?') {
                regex.append("[^/]");
                i++;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return Pattern.compile(regex.append("(?:/.*)?").toString());
    }

    /** Whether every finding in {@code path} is allowed, so that the file need not be read. */
    boolean skipsFile(String path) {
        for (Entry e : entries) {
            if (e.rule().isEmpty() && e.path().matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Whether a glob, a rule or a fingerprint allows the finding. */
    boolean allows(SecretFinding finding) {
        if (fingerprints.contains(finding.fingerprint())) {
            return true;
        }
        for (Entry e : entries) {
            if ((e.rule().isEmpty() || e.rule().equals(finding.rule()))
                    && (e.allFiles() || e.path().matcher(finding.file()).matches())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return source;
    }
}
