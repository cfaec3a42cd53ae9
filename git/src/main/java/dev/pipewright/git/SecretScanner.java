package dev.pipewright.git;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds secrets in the text of one file.
 *
 * <p>A single lower-cased copy of the text is searched for every distinct keyword; only rules
 * with a keyword present run their pattern. A match is reported unless it is below the rule's
 * entropy, fails the rule's check, is a {@linkplain Decoys decoy}, overlaps a match of an
 * earlier rule, or sits on a line allowed by {@code pipewright:allow <reason>} (on the line
 * itself or alone on the line before). The marker counts only after a comment opener on its line
 * ({@code #}, {@code //}, {@code /*}, {@code <!--}, {@code --}, <code>{#</code>, or {@code *},
 * {@code ;}, {@code %} starting the line), so that code naming it is neither. An allow comment without a reason
 * suppresses nothing and is reported as rule {@value #ALLOW_WITHOUT_REASON}. Lock files are skipped by name.
 *
 * <p>Immutable and thread-safe.
 */
final class SecretScanner {
  static final String ALLOW_WITHOUT_REASON = "allow-without-reason";
  static final String ALLOW_MARKER = "pipewright:allow";
  static final Set<String> LOCK_FILES =
      Set.of("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
          "Gemfile.lock", "poetry.lock", "Cargo.lock", "go.sum", "composer.lock", "Pipfile.lock");

  /** What may open the comment holding an allow marker, in the common comment syntaxes. */
  private static final Pattern COMMENT_OPENER =
      Pattern.compile("#|//|/\\*|<!--|(?:^|\\s)--|\\{#|^\\s*[*;%]");

  private final List<SecretRule> rules;
  /** Distinct keyword → indexes of the rules it enables. */
  private final Map<String, int[]> keywords;

  private SecretScanner(List<SecretRule> rules) {
    this.rules = List.copyOf(rules);
    Map<String, List<Integer>> byKeyword = new LinkedHashMap<>();
    for (int i = 0; i < this.rules.size(); i++) {
      for (String keyword : this.rules.get(i).keywords()) {
        byKeyword.computeIfAbsent(keyword, k -> new ArrayList<>()).add(i);
      }
    }
    Map<String, int[]> index = new LinkedHashMap<>();
    byKeyword.forEach((k, v) -> index.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
    this.keywords = Map.copyOf(index);
  }

  static SecretScanner defaults() {
    return of(SecretRules.defaults());
  }

  static SecretScanner of(List<SecretRule> rules) {
    return new SecretScanner(checkNotNull(rules, "rules"));
  }

  List<SecretRule> rules() {
    return rules;
  }

  /** Whether a file is skipped by name (lock files hold hashes, not secrets). */
  static boolean isSkipped(String path) {
    String name = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    return LOCK_FILES.contains(name);
  }

  /** The findings in {@code content}, ordered by line and column; never the secret itself. */
  List<SecretFinding> scan(String path, String content) {
    return scan(path, content, 0, content.length());
  }

  /**
   * The findings in {@code content} that start at an offset in {@code [from, to)}, with lines
   * counted from the start of {@code content}. The text around the range is read as context, so
   * that a window of a larger text reports what a scan of the whole text would.
   */
  List<SecretFinding> scan(String path, String content, int from, int to) {
    checkNotNull(path, "path");
    checkNotNull(content, "content");
    if (isSkipped(path)) {
      return List.of();
    }
    String lower = content.toLowerCase(Locale.ROOT);
    boolean[] enabled = new boolean[rules.size()];
    boolean any = false;
    for (Map.Entry<String, int[]> entry : keywords.entrySet()) {
      if (lower.contains(entry.getKey())) {
        for (int rule : entry.getValue()) {
          enabled[rule] = true;
        }
        any = true;
      }
    }
    boolean allowComments = content.contains(ALLOW_MARKER);
    if (!any && !allowComments) {
      return List.of();
    }
    int[] lineStarts = lineStarts(content);
    List<SecretFinding> findings = new ArrayList<>();
    Set<Integer> allowedLines = new HashSet<>();
    if (allowComments) {
      allowComments(path, content, lineStarts, from, to, findings, allowedLines);
    }
    TreeMap<Integer, Integer> taken = new TreeMap<>(); // start -> end of reported secrets
    for (int r = 0; r < rules.size(); r++) {
      if (!enabled[r]) {
        continue;
      }
      SecretRule rule = rules.get(r);
      Matcher m = rule.pattern().matcher(content);
      // Lower-casing can change the length of some non-ASCII text; then offsets do not carry over.
      if (rule.scope() == SecretRule.Scope.LINE && lower.length() == content.length()) {
        BitSet lines = new BitSet(lineStarts.length);
        for (String keyword : rule.keywords()) {
          for (int at = lower.indexOf(keyword); at >= 0; at = lower.indexOf(keyword, at + 1)) {
            lines.set(lineOf(lineStarts, at) - 1);
          }
        }
        for (int l = lines.nextSetBit(0); l >= 0; l = lines.nextSetBit(l + 1)) {
          m.region(lineStarts[l], l + 1 < lineStarts.length ? lineStarts[l + 1] : content.length());
          collect(path, rule, m, lineStarts, from, to, taken, allowedLines, findings);
        }
      } else {
        collect(path, rule, m, lineStarts, from, to, taken, allowedLines, findings);
      }
    }
    findings.sort(Comparator.comparingInt(SecretFinding::line)
        .thenComparingInt(SecretFinding::column));
    return List.copyOf(findings);
  }

  private static void collect(String path, SecretRule rule, Matcher m, int[] lineStarts, int from,
      int to, TreeMap<Integer, Integer> taken, Set<Integer> allowedLines,
      List<SecretFinding> findings) {
    while (m.find()) {
      int group = secretGroup(m);
      String secret = m.group(group);
      int start = m.start(group);
      int end = m.end(group);
      if (Decoys.entropy(secret) < rule.minEntropy()
          || Decoys.isDecoy(secret)
          || overlaps(taken, start, end)
          || !rule.check().test(secret)) {
        continue;
      }
      taken.put(start, end);
      int line = lineOf(lineStarts, start);
      if (start >= from && start < to && !allowedLines.contains(line)) {
        findings.add(SecretFinding.of(path, rule.id(), line, start - lineStarts[line - 1] + 1,
            lineOf(lineStarts, Math.max(start, end - 1)), secret));
      }
    }
  }

  /** The last group that matched: alternatives leave the others null, and context comes first. */
  private static int secretGroup(Matcher m) {
    for (int g = m.groupCount(); g >= 1; g--) {
      if (m.group(g) != null) {
        return g;
      }
    }
    return 0;
  }

  /** Taken spans never overlap, so only the last one starting before {@code end} can. */
  private static boolean overlaps(TreeMap<Integer, Integer> taken, int start, int end) {
    Map.Entry<Integer, Integer> before = taken.floorEntry(end - 1);
    return before != null && before.getValue() > start;
  }

  private static void allowComments(String path, String content, int[] lineStarts, int from,
      int to, List<SecretFinding> findings, Set<Integer> allowedLines) {
    for (int at = content.indexOf(ALLOW_MARKER); at >= 0;
        at = content.indexOf(ALLOW_MARKER, at + 1)) {
      int line = lineOf(lineStarts, at);
      String before = content.substring(lineStarts[line - 1], at);
      if (!COMMENT_OPENER.matcher(before).find()) {
        continue; // the marker in code or data, such as a constant naming it, is no comment
      }
      int lineEnd = line < lineStarts.length ? lineStarts[line] : content.length();
      String reason = reason(content.substring(at + ALLOW_MARKER.length(), lineEnd));
      if (reason.isEmpty()) {
        if (at >= from && at < to) {
          findings.add(SecretFinding.of(path, ALLOW_WITHOUT_REASON, line,
              at - lineStarts[line - 1] + 1, line, ALLOW_MARKER));
        }
        continue;
      }
      allowedLines.add(line);
      before = before.strip();
      if (before.isEmpty() || before.matches("(?://|#|/\\*|\\*|<!--|--|;)+")) {
        allowedLines.add(line + 1); // a comment alone on its line covers the next line
      }
    }
  }

  /** The reason after the marker: at least three letters, comment closers removed. */
  static String reason(String rest) {
    String reason = rest.replaceAll("(\\*/|-->|#}|%>)\\s*$", "").strip();
    reason = reason.replaceFirst("^[:\\-\u2013\u2014=]+", "").strip();
    long letters = reason.chars().filter(Character::isLetter).count();
    return letters >= 3 ? reason : "";
  }

  private static int[] lineStarts(String content) {
    int[] starts = new int[64];
    int n = 0;
    starts[n++] = 0;
    for (int i = 0; i < content.length(); i++) {
      if (content.charAt(i) == '\n') {
        if (n == starts.length) {
          starts = Arrays.copyOf(starts, n * 2);
        }
        starts[n++] = i + 1;
      }
    }
    return Arrays.copyOf(starts, n);
  }

  /** 1-based line of an offset. */
  private static int lineOf(int[] lineStarts, int offset) {
    int i = Arrays.binarySearch(lineStarts, offset);
    return i >= 0 ? i + 1 : -i - 1;
  }
}
