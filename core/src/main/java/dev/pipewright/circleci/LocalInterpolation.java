package dev.pipewright.circleci;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Resolves {@code << ... >>} in configuration data, as CircleCI does when it compiles a
 * configuration: {@code << parameters.x >>}, {@code << pipeline.parameters.x >>},
 * {@code << pipeline.git.branch >>}, {@code << matrix.x >>}, or an expression such as
 * {@code << pipeline.git.branch == "main" >>}.
 *
 * <p>A string that is exactly one reference becomes the referenced value with its type (a boolean,
 * a number, a list of steps, an executor mapping); references inside longer text become text.
 * Values put in are not searched again, so a step passed to a command is resolved once, where it
 * was written. A reference that cannot be resolved is reported with its key path and left as
 * written.
 */
final class LocalInterpolation {
    private static final Pattern REFERENCE = Pattern.compile("(\\\\?)<<\\s*(.*?)\\s*>>");
    /** What a reference holds: a name of one of CircleCI's namespaces, perhaps in an expression. */
    private static final Pattern NAMESPACE = Pattern.compile("(^|[\\s(!=])(pipeline|parameters|matrix)\\.");

    /** Receives what could not be resolved, by key path. */
    @FunctionalInterface
    interface Problems {
        void add(String path, String message);
    }

    /** The value of a name {@code values} does not hold, if it has one anyway. */
    @FunctionalInterface
    interface Fallback {
        Optional<Object> value(String name);
    }

    private final Map<String, @Nullable Object> values;
    private final String where;
    private final Problems problems;
    private final Fallback fallback;

    /**
     * @param values the referable names, fully qualified ({@code parameters.x}, {@code pipeline.git.branch})
     * @param where what the data belongs to, for messages: "job 'build'"
     * @param fallback values of names not in {@code values}, such as pipeline values that mean nothing locally
     */
    LocalInterpolation(Map<String, @Nullable Object> values, String where, Problems problems, Fallback fallback) {
        this.values = values;
        this.where = where;
        this.problems = problems;
        this.fallback = fallback;
    }

    /** The names an expression here may use. */
    LocalExpression.Names names() {
        return name -> {
            if (values.containsKey(name)) {
                return values.get(name);
            }
            Optional<Object> other = fallback.value(name);
            if (other.isPresent()) {
                return other.get();
            }
            throw new LocalExpression.Failure(unknown(name));
        };
    }

    /** {@code data} with every reference resolved; {@code path} is its key path. */
    @Nullable Object resolve(@Nullable Object data, String path) {
        if (data instanceof String s) {
            return string(s, path);
        }
        if (data instanceof List<?> list) {
            List<@Nullable Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(resolve(list.get(i), Warnings.item(path, i)));
            }
            return Collections.unmodifiableList(out);
        }
        if (data instanceof Map<?, ?> map) {
            Map<String, @Nullable Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), resolve(v, Warnings.child(path, String.valueOf(k)))));
            return Collections.unmodifiableMap(out);
        }
        return data;
    }

    private @Nullable Object string(String s, String path) {
        Matcher m = REFERENCE.matcher(s);
        if (!m.find()) {
            return s;
        }
        if (m.start() == 0 && m.end() == s.length() && m.group(1).isEmpty() && isReference(m.group(2))) {
            Resolved r = reference(m.group(2), path);
            return r.ok ? r.value : s;
        }
        StringBuilder out = new StringBuilder();
        int last = 0;
        m.reset();
        while (m.find()) {
            out.append(s, last, m.start());
            last = m.end();
            if (!m.group(1).isEmpty()) {
                out.append(m.group().substring(1)); // \<< is a literal <<
                continue;
            }
            if (!isReference(m.group(2))) {
                out.append(m.group()); // a here-document and an append, say: cat <<EOF >> file
                continue;
            }
            Resolved r = reference(m.group(2), path);
            if (!r.ok) {
                out.append(m.group());
            } else if (r.value instanceof List || r.value instanceof Map) {
                problems.add(path, "<< " + m.group(2) + " >> is " + PlainData.describe(r.value)
                        + ", which cannot be part of a text; use it as the whole value.");
                out.append(m.group());
            } else {
                out.append(LocalExpression.text(r.value));
            }
        }
        return out.append(s.substring(last)).toString();
    }

    /** Whether the text between {@code <<} and {@code >>} refers to a CircleCI value. */
    static boolean isReference(String content) {
        return NAMESPACE.matcher(content).find();
    }

    private record Resolved(boolean ok, @Nullable Object value) {
    }

    private Resolved reference(String content, String path) {
        if (values.containsKey(content)) {
            return new Resolved(true, values.get(content));
        }
        try {
            Object value = LocalExpression.evaluate(content, names());
            return new Resolved(true, value instanceof BigDecimal b ? plain(b) : value);
        } catch (LocalExpression.Failure e) {
            problems.add(path, e.getMessage() + ".");
            return new Resolved(false, null);
        }
    }

    private static Object plain(BigDecimal b) {
        try {
            return b.longValueExact();
        } catch (ArithmeticException e) {
            return b.doubleValue();
        }
    }

    /** Why {@code name} is not known here, with what is. */
    String unknown(String name) {
        String prefix = name.contains(".") ? name.substring(0, name.lastIndexOf('.') + 1) : "";
        List<String> known = values.keySet().stream().filter(k -> k.startsWith(prefix) && k.indexOf('.', prefix.length()) < 0)
                .sorted().toList();
        if (name.startsWith("parameters.")) {
            return where + " declares no parameter '" + name.substring("parameters.".length()) + "'"
                    + (known.isEmpty() ? "; it declares none" : "; it declares " + strip(known, prefix))
                    + ". Declare it under parameters or fix the name";
        }
        if (name.startsWith("pipeline.parameters.")) {
            return "no pipeline parameter '" + name.substring("pipeline.parameters.".length()) + "' is declared"
                    + (known.isEmpty() ? "" : "; declared: " + strip(known, prefix))
                    + ". Declare it under the top-level parameters";
        }
        if (name.startsWith("matrix.")) {
            return "'" + name + "' is not a parameter of the matrix here"
                    + (known.isEmpty() ? "" : "; matrix parameters: " + strip(known, prefix));
        }
        return "'" + name + "' is not a value known " + (name.startsWith("pipeline.") ? "to local runs" : "here")
                + (known.isEmpty() ? "" : "; known: " + known);
    }

    private static List<String> strip(List<String> names, String prefix) {
        return names.stream().map(n -> n.substring(prefix.length())).toList();
    }
}
