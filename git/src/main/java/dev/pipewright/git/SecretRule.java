package dev.pipewright.git;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One detector: a pattern whose last capturing group that matched is the secret, the lower-case
 * keywords of which at least one must occur in a text for the pattern to run, a minimum Shannon
 * entropy of the secret and a structural check (checksum, decoding) it must pass. A
 * {@linkplain Scope#LINE line-scoped} rule only runs on the lines holding one of its keywords.
 */
record SecretRule(
    String id,
    List<String> keywords,
    Pattern pattern,
    double minEntropy,
    Predicate<String> check,
    Scope scope) {

  /** Where the pattern runs once a keyword is present. */
  enum Scope {
    /** The whole text: the pattern may span lines or its keyword may lie outside the match. */
    TEXT,
    /** Only lines containing a keyword, which must then be part of every match. */
    LINE
  }

  SecretRule {
    checkNotNull(id, "id");
    checkNotNull(pattern, "pattern");
    checkNotNull(check, "check");
    checkNotNull(scope, "scope");
    keywords = List.copyOf(keywords);
    checkArgument(!keywords.isEmpty(), "rule %s needs at least one keyword", id);
    for (String keyword : keywords) {
      checkArgument(
          keyword.equals(keyword.toLowerCase(Locale.ROOT)),
          "rule %s: keyword '%s' must be lower case",
          id,
          keyword);
    }
  }

  static SecretRule of(
      String id, String regex, double minEntropy, Predicate<String> check, String... keywords) {
    return new SecretRule(
        id, List.of(keywords), Pattern.compile(regex), minEntropy, check, Scope.TEXT);
  }

  /** This rule, run only on the lines that hold one of its keywords. */
  SecretRule lineScoped() {
    return new SecretRule(id, keywords, pattern, minEntropy, check, Scope.LINE);
  }

  static SecretRule of(String id, String regex, double minEntropy, String... keywords) {
    return of(id, regex, minEntropy, s -> true, keywords);
  }
}
