package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;

/**
 * Java names for what a CircleCI configuration names: {@code deploy-to-staging} becomes the method
 * {@code deployToStaging}, a step named {@code Install dependencies} the constant
 * {@code INSTALL_DEPENDENCIES}, {@code processes-api.yml} the class {@code ProcessesApi}. Names
 * are made of the text's words (letters and digits, split at punctuation and at camel-case humps),
 * a constant of at most {@link #MAX_WORDS} of them; a name that would not be a Java identifier gets
 * a prefix.
 */
final class ImportNames {
    /** Words kept from a text; the rest is dropped, so that names stay short. */
    static final int MAX_WORDS = 5;

    private static final Pattern WORD = Pattern.compile("[A-Z]+[0-9]*(?![a-z])|[A-Z]?[a-z][a-z0-9]*|[0-9][a-z0-9]*");

    private ImportNames() {
    }

    /** The words of {@code text}, lower case: {@code "deployToAWS-v2"} gives {@code deploy, to, aws, v2}. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            words.add(m.group().toLowerCase(Locale.ROOT));
        }
        return words;
    }

    /** A lower camel-case name (a method or parameter) for {@code text}; {@code fallback} when it has no words. */
    static String camel(String text, String fallback) {
        List<String> words = words(text);
        if (words.isEmpty()) {
            return fallback;
        }
        StringBuilder out = new StringBuilder(words.get(0));
        words.stream().skip(1).forEach(w -> out.append(capitalized(w)));
        return identifier(out.toString(), fallback);
    }

    /** An upper camel-case name (a class) for {@code text}; {@code fallback} when it has no words. */
    static String type(String text, String fallback) {
        List<String> words = words(text);
        if (words.isEmpty()) {
            return fallback;
        }
        StringBuilder out = new StringBuilder();
        words.forEach(w -> out.append(capitalized(w)));
        return identifier(out.toString(), fallback);
    }

    /** An upper snake-case name (a constant) for {@code text}; {@code fallback} when it has no words. */
    static String constant(String text, String fallback) {
        List<String> words = first(words(text));
        return words.isEmpty() ? fallback : identifier(String.join("_", words).toUpperCase(Locale.ROOT), fallback);
    }

    private static List<String> first(List<String> words) {
        return words.size() <= MAX_WORDS ? words : words.subList(0, MAX_WORDS);
    }

    private static String capitalized(String word) {
        return word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
    }

    /**
     * {@code name}, or {@code fallback} in front of it when it is no identifier (it starts with a
     * digit, or is a keyword): {@code STEP_2_X}, {@code jobDefault}, {@code Config3d}.
     */
    private static String identifier(String name, String fallback) {
        if (isIdentifier(name)) {
            return name;
        }
        String prefixed;
        if (fallback.equals(fallback.toUpperCase(Locale.ROOT))) {
            prefixed = fallback + "_" + name;
        } else if (Character.isUpperCase(fallback.charAt(0))) {
            prefixed = fallback + name;
        } else {
            prefixed = fallback + capitalized(name);
        }
        return isIdentifier(prefixed) ? prefixed : fallback;
    }

    /** Whether {@code name} can name a method, field or class: a Java identifier, no keyword, not {@code yield}. */
    static boolean isIdentifier(String name) {
        return SourceVersion.isName(name, SourceVersion.RELEASE_17) && !name.contains(".") && !name.equals("yield")
                && !name.equals("var") && !name.equals("record") && !name.equals("_");
    }

    /** Hands out names that are unique within one scope: a class's members, a method's parameters. */
    static final class Scope {
        private final Set<String> taken = new HashSet<>();

        /** Marks names as used without handing them out, such as statically imported methods. */
        @CanIgnoreReturnValue
        Scope reserve(String... names) {
            taken.addAll(List.of(names));
            return this;
        }

        /**
         * {@code wanted} when free; otherwise {@code wanted} with {@code suffix} (such as
         * {@code Job} or {@code _IMAGE}), then numbered: {@code build}, {@code buildJob},
         * {@code buildJob2}.
         */
        String take(String wanted, String suffix) {
            checkArgument(isIdentifier(wanted), "'%s' is not a Java identifier", wanted);
            if (taken.add(wanted)) {
                return wanted;
            }
            String base = wanted.endsWith(suffix) ? wanted : wanted + suffix;
            String separator = base.equals(base.toUpperCase(Locale.ROOT)) ? "_" : "";
            String name = base;
            for (int i = 2; !taken.add(name); i++) {
                name = base + separator + i;
            }
            return name;
        }

        /** Whether {@code name} is used. */
        boolean contains(String name) {
            return taken.contains(name);
        }
    }
}
