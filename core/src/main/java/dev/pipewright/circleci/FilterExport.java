package dev.pipewright.circleci;

import dev.pipewright.Filter;
import dev.pipewright.NamePattern;
import dev.pipewright.Ref;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Writes the filters a stage must pass (its own, its environment's, a restricted push trigger's)
 * as one CircleCI {@code filters} map that accepts exactly the same branches and tags:
 *
 * <ul>
 *   <li>one filter restricting a kind: its patterns as written;
 *   <li>several, with a finite set of names known: {@code only} those names;
 *   <li>otherwise: one {@code /regex/} whose lookaheads require every filter's patterns (CircleCI
 *       reads these regexes with Java's engine and matches the whole name, as Pipewright does).
 * </ul>
 */
final class FilterExport {
    private FilterExport() {
    }

    /** The {@code filters} map for {@code filters}, all of which must pass; empty when none restricts anything. */
    static Map<String, Object> of(List<Filter> filters) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Filter> branchFilters = filters.stream().filter(Filter::restrictsBranches).distinct().toList();
        if (!branchFilters.isEmpty()) {
            out.put("branches", kind(branchFilters, Ref.Kind.BRANCH));
        }
        boolean allTakeTags = !filters.isEmpty() && filters.stream().allMatch(Filter::hasTagFilter);
        if (allTakeTags) {
            out.put("tags", kind(filters.stream().distinct().toList(), Ref.Kind.TAG));
        }
        return out;
    }

    /**
     * One filter as a workflow job's {@code filters}, as {@link #of} writes it; empty when it
     * restricts nothing.
     */
    static Optional<Filters> filters(Filter filter) {
        Map<String, Object> data = of(List.of(filter));
        if (data.isEmpty()) {
            return Optional.empty();
        }
        PatternFilters.Builder b = PatternFilters.builder();
        if (data.get("branches") instanceof Map<?, ?> branches) {
            b.branches(patterns(branches));
        }
        if (data.get("tags") instanceof Map<?, ?> tags) {
            b.tags(patterns(tags));
        }
        return Optional.of(b.build());
    }

    private static Patterns patterns(Map<?, ?> data) {
        Patterns.Builder b = Patterns.builder();
        if (data.get("only") instanceof List<?> only) {
            b.only(only.stream().map(String.class::cast).toList());
        }
        if (data.get("ignore") instanceof List<?> ignore) {
            b.ignore(ignore.stream().map(String.class::cast).toList());
        }
        return b.build();
    }

    private static Map<String, Object> kind(List<Filter> filters, Ref.Kind kind) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (filters.size() == 1) {
            Filter f = filters.get(0);
            List<NamePattern> only = kind == Ref.Kind.BRANCH ? f.onlyBranches() : f.onlyTags();
            List<NamePattern> ignore = kind == Ref.Kind.BRANCH ? f.ignoreBranches() : f.ignoreTags();
            if (!only.isEmpty()) {
                out.put("only", only.stream().map(NamePattern::text).toList());
            }
            if (!ignore.isEmpty()) {
                out.put("ignore", ignore.stream().map(NamePattern::text).toList());
            }
            return out;
        }
        Optional<Set<String>> finite = finite(filters, kind);
        if (finite.isPresent()) {
            out.put("only", List.copyOf(finite.get()));
            return out;
        }
        List<String> parts = new ArrayList<>();
        for (Filter f : filters) {
            parts.add("(?=" + regex(f, kind) + "$)");
        }
        out.put("only", List.of("/" + String.join("", parts) + ".*/"));
        return out;
    }

    /** The names all filters accept, when one of them lists its names exactly. */
    private static Optional<Set<String>> finite(List<Filter> filters, Ref.Kind kind) {
        for (Filter f : filters) {
            Optional<Set<String>> names = f.finiteNames(kind);
            if (names.isPresent()) {
                Set<String> accepted = new TreeSet<>();
                for (String n : names.get()) {
                    if (filters.stream().allMatch(g -> g.accepts(new Ref(kind, n)))) {
                        accepted.add(n);
                    }
                }
                return Optional.of(accepted);
            }
        }
        return Optional.empty();
    }

    /** One filter's patterns for {@code kind} as a regex over the whole name. */
    static String regex(Filter f, Ref.Kind kind) {
        List<NamePattern> only = kind == Ref.Kind.BRANCH ? f.onlyBranches() : f.onlyTags();
        List<NamePattern> ignore = kind == Ref.Kind.BRANCH ? f.ignoreBranches() : f.ignoreTags();
        String ignored = ignore.isEmpty() ? "" : "(?!" + alternation(ignore) + "$)";
        return ignored + (only.isEmpty() ? ".*" : alternation(only));
    }

    private static String alternation(List<NamePattern> patterns) {
        Set<String> parts = new LinkedHashSet<>();
        for (NamePattern p : patterns) {
            parts.add(p.isRegex() ? "(?:" + p.text().substring(1, p.text().length() - 1) + ")" : Pattern.quote(p.text()));
        }
        return "(?:" + String.join("|", parts) + ")";
    }
}
