package dev.pipewright.git;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One detector: a pattern whose last capturing group that matched is the secret, the lower-case
 * keywords of which at least one must occur in a text for the pattern to run, a minimum Shannon
 * entropy of the secret and a structural check (checksum, decoding) it must pass. A
 * {@linkplain Scope#LINE line-scoped} rule only runs on the lines holding one of its keywords;
 * when its {@code leads} are known (the most characters a match can start before each keyword,
 * -1 for unknown), only at those few starts before each keyword instead of along the whole line.
 */
record SecretRule(
        String id,
        List<String> keywords,
        Pattern pattern,
        double minEntropy,
        Predicate<String> check,
        Scope scope,
        List<Integer> leads) {

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
        leads = List.copyOf(leads);
        checkArgument(leads.size() == keywords.size(), "rule %s needs one lead a keyword", id);
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
        List<Integer> unknown = Collections.nCopies(keywords.length, -1);
        return new SecretRule(
                id, List.of(keywords), Pattern.compile(regex), minEntropy, check, Scope.TEXT, unknown);
    }

    /** This rule, run only on the lines that hold one of its keywords, along each such line. */
    SecretRule lineScoped() {
        return new SecretRule(id, keywords, pattern, minEntropy, check, Scope.LINE,
                Collections.nCopies(keywords.size(), -1));
    }

    /**
     * This rule, run only where a match may start: at most {@code lead} characters before one of
     * its keywords (0: at the keyword), one lead for all keywords or one each.
     */
    SecretRule anchored(int... lead) {
        checkArgument(lead.length == 1 || lead.length == keywords.size(),
                "rule %s: give one lead or one a keyword", id);
        List<Integer> leads = new ArrayList<>();
        for (int i = 0; i < keywords.size(); i++) {
            leads.add(lead[lead.length == 1 ? 0 : i]);
        }
        return new SecretRule(id, keywords, pattern, minEntropy, check, Scope.LINE, leads);
    }

    /** How many characters before a keyword's start a match may start; -1 when unknown. */
    int lead(String keyword) {
        return leads.get(keywords.indexOf(keyword));
    }

    static SecretRule of(String id, String regex, double minEntropy, String... keywords) {
        return of(id, regex, minEntropy, s -> true, keywords);
    }
}
