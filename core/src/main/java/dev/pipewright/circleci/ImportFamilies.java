package dev.pipewright.circleci;

import com.palantir.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Finds near-identical jobs, such as {@code deploy-to-staging} and {@code deploy-to-production},
 * that one method can build from a few strings: {@code deployTo("staging")}.
 *
 * <p>Jobs are candidates when their data has the same shape (the same keys, lists of the same
 * lengths, the same non-string values) and differs in at most {@link #MAX_PARAMETERS} strings. The
 * part of the job names that differs is the family's <em>token</em> ({@code staging},
 * {@code production}); a string that differs only by the token, as written, in upper case or as a
 * constant's name ({@code $AWS_ACCOUNT_STAGING}), is built from it; any other string that differs
 * becomes a parameter of its own.
 *
 * <p>A family is kept only when the method, given each job's arguments, writes exactly the code
 * that job alone is written with: the check compares code, so whatever the method replaces, it
 * replaces correctly.
 */
final class ImportFamilies {
    /** Parameters a method may take besides the token; more, and the jobs are not near-identical. */
    static final int MAX_PARAMETERS = 3;

    private static final Set<String> ENVIRONMENT_WORDS = Set.of("dev", "development", "develop", "test", "testing",
            "qa", "uat", "int", "integration", "stage", "staging", "stg", "preprod", "pre-prod", "prod", "production",
            "live", "sandbox", "demo", "preview", "canary", "perf");
    private static final Object STRING = new Object() {
        @Override
        public String toString() {
            return "<string>";
        }
    };

    private ImportFamilies() {
    }

    /**
     * One family: its jobs, in the configuration's order, and how the method builds each.
     *
     * @param jobs the jobs' names; the first is the one the method is written from
     * @param method the method's name, before it is made unique
     * @param token the parameter holding the token; empty when no string depends on it
     * @param parameters the other parameters' names
     * @param arguments per job, the arguments of the call: the token first if any, then one per parameter
     * @param strings per string of the first job that the method replaces, how it is built
     */
    record Family(List<String> jobs, String method, Optional<String> token, List<String> parameters,
            List<List<String>> arguments, Map<String, Replacement> strings) {

        /** The substitution of the method's body: strings become expressions of the parameters. */
        ImportCode.Substitution substitution() {
            return substitution(r -> r.expression(token.orElse(""), parameters));
        }

        /** The substitution that writes job {@code index} with literals, to check the family. */
        ImportCode.Substitution literals(int index) {
            List<String> args = arguments.get(index);
            String tokenValue = token.isPresent() ? args.get(0) : "";
            List<String> values = args.subList(token.isPresent() ? 1 : 0, args.size());
            return substitution(r -> ImportCode.literal(r.value(tokenValue, values)));
        }

        private ImportCode.Substitution substitution(Function<Replacement, CodeBlock> code) {
            return new ImportCode.Substitution() {
                @Override
                public @Nullable CodeBlock expression(String value) {
                    Replacement r = strings.get(value);
                    return r == null ? null : code.apply(r);
                }

                @Override
                public boolean replaces(String value) {
                    return strings.containsKey(value);
                }
            };
        }
    }

    /** How a string is built: from parts of text and the token, or as one of the parameters. */
    sealed interface Replacement {
        /** The Java expression, given the token's and the parameters' names. */
        CodeBlock expression(String token, List<String> parameters);

        /** The string, given the token's and the parameters' values. */
        String value(String token, List<String> parameters);
    }

    /** How the token is written in a string: as in the job's name, in upper case, or as a constant's name. */
    enum Case {
        AS_WRITTEN, UPPER, CONSTANT;

        String apply(String token) {
            return switch (this) {
                case AS_WRITTEN -> token;
                case UPPER -> token.toUpperCase(Locale.ROOT);
                case CONSTANT -> token.toUpperCase(Locale.ROOT).replace('-', '_');
            };
        }

        CodeBlock expression(String token) {
            return switch (this) {
                case AS_WRITTEN -> CodeBlock.of("$N", token);
                case UPPER -> CodeBlock.of("$N.toUpperCase($T.ROOT)", token, ImportCode.LOCALE);
                case CONSTANT -> CodeBlock.of("$N.toUpperCase($T.ROOT).replace('-', '_')", token, ImportCode.LOCALE);
            };
        }
    }

    /**
     * A string made of text and the token, such as {@code "$AWS_ACCOUNT_" + environment.toUpperCase(Locale.ROOT)}.
     *
     * @param parts literal text, or null for the token
     * @param cases per part, how the token is written
     */
    record Template(List<@Nullable String> parts, List<Case> cases) implements Replacement {
        @Override
        public CodeBlock expression(String token, List<String> parameters) {
            List<CodeBlock> pieces = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                String part = parts.get(i);
                pieces.add(part != null ? CodeBlock.of("$S", part) : cases.get(i).expression(token));
            }
            return CodeBlock.join(pieces, " + ");
        }

        @Override
        public String value(String token, List<String> parameters) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < parts.size(); i++) {
                String part = parts.get(i);
                out.append(part != null ? part : cases.get(i).apply(token));
            }
            return out.toString();
        }

        /** Whether the string is the token alone. */
        boolean whole() {
            return parts.size() == 1 && parts.get(0) == null && cases.get(0) == Case.AS_WRITTEN;
        }
    }

    /** A string that is the parameter at {@code index}. */
    record Parameter(int index) implements Replacement {
        @Override
        public CodeBlock expression(String token, List<String> parameters) {
            return CodeBlock.of("$N", parameters.get(index));
        }

        @Override
        public String value(String token, List<String> parameters) {
            return parameters.get(index);
        }
    }

    /**
     * The families among {@code jobs} that {@code code} confirms: for each job, the family's method
     * writes the code {@code code} writes for the job alone.
     */
    static List<Family> find(Map<String, Job> jobs, ImportCode code, ImportAnchors anchors) {
        Map<Object, List<String>> byShape = new LinkedHashMap<>();
        jobs.forEach((name, job) -> byShape.computeIfAbsent(shape(job.toData()), s -> new ArrayList<>()).add(name));
        List<Family> families = new ArrayList<>();
        for (List<String> names : byShape.values()) {
            if (names.size() < 2) {
                continue;
            }
            family(names, jobs, anchors).filter(f -> confirmed(f, jobs, code)).ifPresent(families::add);
        }
        return families;
    }

    private static boolean confirmed(Family family, Map<String, Job> jobs, ImportCode code) {
        Job first = jobs.get(family.jobs().get(0));
        for (int i = 0; i < family.jobs().size(); i++) {
            CodeBlock alone = code.job(jobs.get(family.jobs().get(i)));
            CodeBlock shared = code.substituting(family.literals(i), () -> code.job(first));
            if (!ImportCode.sameCode(alone, shared)) {
                return false;
            }
        }
        return true;
    }

    /** The data with every string value (not key) replaced by one marker: jobs alike have equal shapes. */
    private static @Nullable Object shape(@Nullable Object data) {
        if (data instanceof String) {
            return STRING;
        }
        if (data instanceof Map<?, ?> m) {
            Map<Object, @Nullable Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, shape(v)));
            return out;
        }
        if (data instanceof List<?> l) {
            return l.stream().map(ImportFamilies::shape).toList();
        }
        return data;
    }

    /** A string value at one place in each job's data, and the key it is under. */
    private record Leaf(String key, List<String> values) {
    }

    private static Optional<Family> family(List<String> names, Map<String, Job> jobs, ImportAnchors anchors) {
        List<Object> data = names.stream().<Object>map(n -> jobs.get(n).toData()).toList();
        List<Leaf> leaves = new ArrayList<>();
        differing(data, "value", leaves);
        Map<String, Leaf> byFirst = new LinkedHashMap<>();
        for (Leaf leaf : leaves) {
            Leaf known = byFirst.putIfAbsent(leaf.values().get(0), leaf);
            if (known != null && !known.values().equals(leaf.values())) {
                return Optional.empty(); // one string of the first job would need two replacements
            }
        }
        Optional<List<String>> tokens = tokens(names);
        Map<String, Replacement> strings = new LinkedHashMap<>();
        List<Leaf> parameters = new ArrayList<>();
        boolean usesToken = false;
        for (Leaf leaf : byFirst.values()) {
            Optional<Template> template = tokens.flatMap(t -> template(leaf.values(), t));
            if (template.isPresent()) {
                strings.put(leaf.values().get(0), template.get());
                usesToken = true;
            } else {
                int index = indexOf(parameters, leaf.values());
                if (index < 0) {
                    parameters.add(leaf);
                    index = parameters.size() - 1;
                }
                strings.put(leaf.values().get(0), new Parameter(index));
            }
        }
        if (parameters.size() > MAX_PARAMETERS) {
            return Optional.empty();
        }
        ImportNames.Scope scope = new ImportNames.Scope();
        Optional<String> token = usesToken ? Optional.of(scope.take(tokenName(names, tokens.orElseThrow(), byFirst,
                strings), "")) : Optional.empty();
        List<String> parameterNames = parameters.stream()
                .map(p -> scope.take(ImportNames.camel(p.key(), "value"), "Value")).toList();
        List<List<String>> arguments = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            List<String> args = new ArrayList<>();
            if (usesToken) {
                args.add(tokens.orElseThrow().get(i));
            }
            for (Leaf p : parameters) {
                args.add(p.values().get(i));
            }
            arguments.add(List.copyOf(args));
        }
        return Optional.of(new Family(List.copyOf(names), methodName(names, jobs, anchors), token, parameterNames,
                List.copyOf(arguments), strings));
    }

    private static int indexOf(List<Leaf> parameters, List<String> values) {
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).values().equals(values)) {
                return i;
            }
        }
        return -1;
    }

    /** Collects the string values that are not the same in every job, walking the first job's keys. */
    private static void differing(List<?> values, String key, List<Leaf> out) {
        Object first = values.get(0);
        if (first instanceof String) {
            List<String> strings = values.stream().map(v -> (String) v).toList();
            if (strings.stream().distinct().count() > 1) {
                out.add(new Leaf(key, strings));
            }
        } else if (first instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                differing(values.stream().map(v -> ((Map<?, ?>) v).get(k)).toList(), String.valueOf(k), out);
            }
        } else if (first instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                int index = i;
                differing(values.stream().map(v -> ((List<?>) v).get(index)).toList(), key, out);
            }
        }
    }

    /**
     * The part of each name that differs, cut at separators: {@code deploy-to-staging} and
     * {@code deploy-to-production} give {@code staging} and {@code production}. Empty when a part
     * is empty or two are equal.
     */
    static Optional<List<String>> tokens(List<String> names) {
        int prefix = commonPrefix(names);
        int suffix = commonSuffix(names, prefix);
        List<String> tokens = names.stream().map(n -> n.substring(prefix, n.length() - suffix)).toList();
        boolean wordLike = tokens.stream().allMatch(t -> t.matches("[A-Za-z0-9]+([_-][A-Za-z0-9]+)*"));
        return wordLike && tokens.stream().distinct().count() == tokens.size() ? Optional.of(tokens) : Optional.empty();
    }

    private static int commonPrefix(List<String> names) {
        String first = names.get(0);
        int n = first.length();
        for (String s : names) {
            int i = 0;
            while (i < Math.min(n, s.length()) && s.charAt(i) == first.charAt(i)) {
                i++;
            }
            n = i;
        }
        while (n > 0 && !isSeparator(first.charAt(n - 1))) {
            n--; // back to the start of the word that differs
        }
        return n;
    }

    private static int commonSuffix(List<String> names, int prefix) {
        String first = names.get(0);
        int n = first.length() - prefix;
        for (String s : names) {
            int i = 0;
            while (i < Math.min(n, s.length() - prefix)
                    && s.charAt(s.length() - 1 - i) == first.charAt(first.length() - 1 - i)) {
                i++;
            }
            n = i;
        }
        while (n > 0 && !isSeparator(first.charAt(first.length() - n))) {
            n--;
        }
        return n;
    }

    private static boolean isSeparator(char c) {
        return c == '-' || c == '_' || c == '.' || c == '/' || c == ' ';
    }

    /** The template that gives each value from each token, if there is one that uses the token. */
    private static Optional<Template> template(List<String> values, List<String> tokens) {
        String first = values.get(0);
        String token = tokens.get(0);
        List<@Nullable String> parts = new ArrayList<>();
        List<Case> cases = new ArrayList<>();
        int from = 0;
        while (true) {
            int at = -1;
            Case found = Case.AS_WRITTEN;
            for (Case c : Case.values()) {
                int i = first.indexOf(c.apply(token), from);
                if (i >= 0 && (at < 0 || i < at)) {
                    at = i;
                    found = c;
                }
            }
            if (at < 0) {
                break;
            }
            if (at > from) {
                parts.add(first.substring(from, at));
                cases.add(Case.AS_WRITTEN);
            }
            parts.add(null);
            cases.add(found);
            from = at + token.length();
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        if (from < first.length()) {
            parts.add(first.substring(from));
            cases.add(Case.AS_WRITTEN);
        }
        Template template = new Template(parts, cases);
        for (int i = 0; i < values.size(); i++) {
            if (!template.value(tokens.get(i), List.of()).equals(values.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(template);
    }

    /**
     * The token parameter's name: {@code environment} when the tokens name environments; the key
     * of the strings when the token is all of each; {@code name} when it is the whole job name;
     * {@code version} for numbers; else {@code variant}.
     */
    private static String tokenName(List<String> names, List<String> tokens, Map<String, Leaf> leaves,
            Map<String, Replacement> strings) {
        if (tokens.stream().allMatch(t -> ENVIRONMENT_WORDS.contains(t.toLowerCase(Locale.ROOT)))) {
            return "environment";
        }
        List<String> keys = strings.entrySet().stream().filter(e -> e.getValue() instanceof Template)
                .map(e -> e.getValue() instanceof Template t && t.whole() ? leaves.get(e.getKey()).key() : "")
                .distinct().toList();
        if (keys.size() == 1 && !keys.get(0).isEmpty()) {
            return ImportNames.camel(keys.get(0), "variant");
        }
        if (tokens.equals(names)) {
            return "name";
        }
        return tokens.stream().allMatch(t -> t.matches("[0-9][0-9_-]*")) ? "version" : "variant";
    }

    /**
     * The method's name: the anchor all the jobs merge ({@code <<: *contrib_job} gives
     * {@code contribJob}); else the job names less their token ({@code deployTo}); else named
     * after what the first job runs: its first command ({@code runTestJob}), its executor or its
     * image ({@code nodeJob}).
     */
    private static String methodName(List<String> names, Map<String, Job> jobs, ImportAnchors anchors) {
        List<String> merged = anchors.mergedInto(names.get(0));
        for (String anchor : merged) {
            if (names.stream().allMatch(n -> anchors.mergedInto(n).contains(anchor))) {
                return ImportNames.camel(anchor, "job");
            }
        }
        int prefix = commonPrefix(names);
        int suffix = commonSuffix(names, prefix);
        String first = names.get(0);
        String rest = first.substring(0, prefix) + " " + first.substring(first.length() - suffix);
        if (!ImportNames.words(rest).isEmpty()) {
            return ImportNames.camel(rest, "job");
        }
        Job job = jobs.get(first);
        String runs = job.steps().stream().filter(s -> s instanceof CommandStep).map(s -> ((CommandStep) s).name())
                .findFirst()
                .or(() -> job.executor().map(ExecutorReference::name))
                .or(() -> job.docker().stream().findFirst().flatMap(DockerImage::image)
                        .map(i -> i.replaceFirst("[:@].*$", "").replaceFirst("^.*/", "")))
                .orElse("similar");
        return ImportNames.camel(runs + " job", "similarJob");
    }
}
