package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Replaces every registered secret, in each form it takes on its way to output, with
 * {@value #MASK}. The runner shares one masker per run and passes through it everything it
 * writes: console, journal, reports and exception messages.
 *
 * <h2>What is masked</h2>
 *
 * <p>{@link #register} derives these forms from a secret; each is matched exactly
 * (case-sensitively) anywhere in the text:
 *
 * <ul>
 *   <li>the value as given and, if it has surrounding whitespace (a value read from a file
 *       usually ends with a newline), the stripped value; the encodings below are derived from
 *       both;
 *   <li>each line of a multi-line value, stripped, if that line could be registered on its own
 *       (a PEM key printed line by line, or with {@code \r\n} line ends);
 *   <li>base64 of the UTF-8 bytes, standard and URL-safe alphabets, padded and unpadded, and
 *       the fragments that stay the same whatever surrounds the secret inside a larger base64
 *       payload (next section);
 *   <li>URL-encoded as {@link URLEncoder} writes it (space as {@code +}), and with {@code %20}
 *       for space;
 *   <li>JSON-escaped: {@code \"}, {@code \\}, {@code \n}, {@code \r}, {@code \t}, {@code \b},
 *       {@code \f}, and other control characters as {@code \}{@code u00XX}. Each combination
 *       of these choices gets a form: upper-case hex digits (Jackson) or lower-case (JavaScript,
 *       Python, Gson); non-ASCII characters raw (Jackson, JavaScript), escaped as UTF-16 units
 *       above U+007F (Jackson's {@code ESCAPE_NON_ASCII}) or from U+007F (Python's
 *       {@code ensure_ascii}); {@code /} raw or as {@code \/}; Gson's HTML-safe escapes of
 *       {@code < > & = '} and U+2028/U+2029.
 * </ul>
 *
 * <p>A match covers the characters of one occurrence; overlapping occurrences, of one secret or
 * of several, are masked as the union of their ranges, so a longer match always wins over a
 * shorter one inside it. Two occurrences that touch without overlapping give two masks.
 *
 * <h2>Base64 inside a larger payload</h2>
 *
 * <p>A secret is often base64-encoded as part of something bigger: a JSON document, a
 * {@code user:password} pair, a Kubernetes secret. Base64 writes 6 bits per character, so the
 * secret's {@code n} bytes at byte offset {@code o} of the payload occupy bits {@code 8o} to
 * {@code 8(o+n)}, and the characters whose 6 bits all lie in that span depend on the secret and
 * on {@code k = o mod 3} only. For each alignment {@code k} in 0, 1, 2 the masker encodes
 * {@code k} zero bytes followed by the secret and keeps characters {@code ceil(8k/6)} (0, 2 or
 * 3) up to {@code floor(8(k+n)/6)}: the stable middle fragment. For a secret that ends the
 * payload it also registers the tail from the same start, whose last character holds the
 * secret's last bits followed by zero bits, padded and unpadded. With {@code k = 0} the tail is
 * the plain encoding. The one character at each edge that mixes the secret's bits with its
 * neighbours' stays visible: it carries at most 4 bits of the secret's first and of its last
 * byte.
 *
 * <h2>What is not masked</h2>
 *
 * <p>Values are rejected at registration, never silently left unmasked, when they are shorter
 * than {@value #MIN_LENGTH} characters (code points, not counting surrounding whitespace) or are
 * {@code true}, {@code false}, {@code yes} or {@code no} in any case. Such text occurs by chance
 * in ordinary output: masking it would garble the log, and the masks would show where the value
 * is. CircleCI refuses them for the same reason. Lines of a multi-line secret that are too short
 * or boolean words are not registered alone; the whole value is. Not masked either:
 *
 * <ul>
 *   <li>a secret transformed in other ways: reversed, hex-encoded, double-encoded (base64 of its
 *       base64), compressed, encrypted, in a charset other than UTF-8, with its case changed,
 *       percent-encoded with lower-case hex or leaving other characters raw (JavaScript's
 *       {@code encodeURIComponent} keeps {@code !'()*}), or escaped by other rules (YAML, shell,
 *       XML);
 *   <li>base64 wrapped in lines (MIME, or {@code base64} without {@code -w0}): a fragment cut by
 *       a line break is masked only where a whole form fits on one line;
 *   <li>a part of a secret: its first characters, a line re-wrapped at another width;
 *   <li>text passed on before the secret was registered.
 * </ul>
 *
 * <p>Every character of every occurrence of a form in the input is replaced, so a form without
 * {@code *} never appears in the output, and masking masked text changes nothing. A secret that
 * contains {@code *} is different: its neighbours and a mask may spell one of its forms (secret
 * {@code a***}, text {@code aa***}, output {@code a***}). None of the secret's characters is
 * shown, but the output does contain the form, and masking it again masks more.
 *
 * <h2>Cost and threads</h2>
 *
 * <p>Matching uses an Aho–Corasick automaton over all forms of all secrets: time linear in the
 * text (plus the matches), whatever the number of secrets. The automaton is rebuilt lazily, on
 * the first use after a registration, in time linear in the total length of the forms, and
 * takes about 30 bytes per character of them. A secret gets from 8 forms (an ASCII token, about
 * 10 times its length in all) to some 30 (symbols or non-ASCII characters, 30 to 50 times). All
 * methods are thread-safe; registration may happen while other threads mask.
 *
 * @since 0.1
 */
final class SecretMasker {
    /** What every masked range is replaced with. */
    static final String MASK = "***";

    /** The fewest characters, after stripping surrounding whitespace, that a secret may have. */
    static final int MIN_LENGTH = 4;

    private static final Set<String> BOOLEAN_WORDS = Set.of("true", "false", "yes", "no");

    private final Set<String> forms = new LinkedHashSet<>(); // guarded by this

    /** Null after a registration until the next use rebuilds it. */
    private volatile @Nullable Automaton automaton = Automaton.EMPTY;

    /**
     * Masks {@code secret}, and every form derived from it (see the class comment), in all later
     * output. Registering a secret again changes nothing.
     *
     * @throws NullPointerException if {@code secret} is null
     * @throws IllegalArgumentException if the secret cannot be masked reliably: shorter than
     *     {@value #MIN_LENGTH} characters besides surrounding whitespace, or a boolean word. The
     *     message says why and never contains the value.
     */
    void register(String secret) {
        checkNotNull(secret, "secret");
        String why = whyUnmaskable(secret.strip());
        checkArgument(why == null, why);
        Set<String> derived = derive(secret);
        synchronized (this) {
            if (forms.addAll(derived)) {
                automaton = null;
            }
        }
    }

    /**
     * Returns {@code text} with every occurrence of every registered form replaced by
     * {@value #MASK}; the same instance if nothing matched.
     *
     * @throws NullPointerException if {@code text} is null
     */
    String mask(String text) {
        checkNotNull(text, "text");
        Automaton current = automaton();
        if (current.isEmpty() || text.isEmpty()) {
            return text;
        }
        Scan scan = new Scan(current, 0);
        StringBuilder out = new StringBuilder(text.length());
        scan.feed(text, out);
        scan.finish(out);
        return scan.matched() ? out.toString() : text;
    }

    /**
     * The masked description of {@code thrown} for a report or a journal: its
     * {@code toString()} (class name and message) followed by a {@code Caused by: } line for
     * each cause, as a stack trace would show them but without the frames.
     *
     * @throws NullPointerException if {@code thrown} is null
     */
    String mask(Throwable thrown) {
        checkNotNull(thrown, "thrown");
        StringBuilder text = new StringBuilder(String.valueOf(thrown));
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.add(thrown);
        for (Throwable cause = thrown.getCause(); cause != null && seen.add(cause); cause = cause.getCause()) {
            text.append("\nCaused by: ").append(cause);
        }
        return mask(text.toString());
    }

    /**
     * The masked stack trace of {@code thrown}, as {@link Throwable#printStackTrace()} writes it:
     * messages of the causes and of suppressed exceptions included.
     *
     * @throws NullPointerException if {@code thrown} is null
     */
    String maskStackTrace(Throwable thrown) {
        checkNotNull(thrown, "thrown");
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        return mask(trace.toString());
    }

    /**
     * A stream that masks text arriving in chunks, such as a child process's output, and passes
     * it on to {@code sink} as soon as it is safe. See {@link Stream}.
     *
     * @throws NullPointerException if {@code sink} is null
     */
    Stream stream(Consumer<String> sink) {
        checkNotNull(sink, "sink");
        return new Stream(sink);
    }

    /** Every form registered so far: for tests and diagnostics, never for output. */
    synchronized Set<String> forms() {
        return Set.copyOf(forms);
    }

    private Automaton automaton() {
        Automaton current = automaton;
        if (current == null) {
            synchronized (this) {
                current = automaton;
                if (current == null) {
                    current = Automaton.of(forms);
                    automaton = current;
                }
            }
        }
        return current;
    }

    /**
     * Masks text that arrives in chunks. A secret split across chunks (a process writing
     * {@code ghp_ab}, then {@code cd...}; an 8 KiB buffer edge) is masked as if it had arrived
     * at once: whatever the chunking, the concatenation of the strings the sink receives equals
     * {@link SecretMasker#mask(String)} of the concatenation of the chunks, provided no secret is
     * registered while the stream is open.
     *
     * <p>Text is passed on at the end of each {@link #write} except the trailing characters that
     * begin some form and could still complete it: at most the longest form's length minus one,
     * usually none. A {@value SecretMasker#MASK} is passed on as soon as the start of its range
     * is known, even if the range later grows. {@link #close} passes on the rest.
     *
     * <p>A secret registered while the stream is open is masked in the text written later and in
     * the text held back, not in text already passed on.
     *
     * <p>Use one stream per output channel. A secret split between two streams (half on stdout,
     * half on stderr) is not reassembled; merge the channels
     * ({@link ProcessBuilder#redirectErrorStream(boolean)}) if that matters. Feeding two channels
     * into one stream whole line by whole line is safe: only a multi-line secret spans lines, and
     * each of its lines is masked on its own. Interleaving partial chunks of two channels in one
     * stream is not.
     *
     * <p>Thread-safe: writes are serialized, and the sink is called from the writing thread while
     * the stream's lock is held, so it must not call back into this stream.
     *
     * @since 0.1
     */
    final class Stream implements AutoCloseable {
        private final Consumer<String> sink;
        private final StringBuilder out = new StringBuilder();
        private Scan scan; // guarded by this
        private boolean closed; // guarded by this

        private Stream(Consumer<String> sink) {
            this.sink = sink;
            this.scan = new Scan(automaton(), 0);
        }

        /**
         * Masks {@code chunk} and passes on what can no longer be part of a secret.
         *
         * @throws NullPointerException if {@code chunk} is null
         * @throws IllegalStateException if the stream is closed
         */
        synchronized void write(CharSequence chunk) {
            checkNotNull(chunk, "chunk");
            checkState(!closed, "the stream is closed");
            adoptNewSecrets();
            scan.feed(chunk, out);
            deliver();
        }

        /** Passes on the rest of the text, masked. Later calls do nothing. */
        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            adoptNewSecrets();
            scan.finish(out);
            deliver();
        }

        private void adoptNewSecrets() {
            Automaton current = automaton();
            if (current != scan.automaton) {
                scan = scan.rescan(current);
            }
        }

        private void deliver() {
            if (out.length() > 0) {
                String text = out.toString();
                out.setLength(0);
                sink.accept(text);
            }
        }
    }

    // ------------------------------------------------------------------ derived forms

    private static @Nullable String whyUnmaskable(String stripped) {
        int length = stripped.codePointCount(0, stripped.length());
        if (length < MIN_LENGTH) {
            return String.format(Locale.ROOT,
                    "A secret needs at least %d characters besides surrounding whitespace, but this one has %d: "
                            + "text that short occurs by chance in ordinary output, so it cannot be masked reliably. "
                            + "Use a longer value or do not mark it secret.",
                    MIN_LENGTH, length);
        }
        if (BOOLEAN_WORDS.contains(stripped.toLowerCase(Locale.ROOT))) {
            return "A secret cannot be true, false, yes or no (in any case): these words occur in ordinary output, "
                    + "so the value cannot be masked reliably. Do not mark a boolean value secret.";
        }
        return null;
    }

    private static Set<String> derive(String secret) {
        Set<String> derived = new LinkedHashSet<>();
        addEncodings(derived, secret);
        String stripped = secret.strip();
        if (!stripped.equals(secret)) {
            addEncodings(derived, stripped);
        }
        secret.lines().map(String::strip).filter(line -> whyUnmaskable(line) == null).forEach(derived::add);
        // Base64 fragments of a value of 4 or more characters have 4 or more characters; this
        // guards the rule that no form is short enough to match ordinary text by chance.
        derived.removeIf(form -> form.length() < MIN_LENGTH);
        return derived;
    }

    private static void addEncodings(Set<String> derived, String value) {
        derived.add(value);
        byte[] bytes = value.getBytes(UTF_8);
        addBase64(derived, bytes, Base64.getEncoder());
        addBase64(derived, bytes, Base64.getUrlEncoder());
        String url = URLEncoder.encode(value, UTF_8);
        derived.add(url);
        derived.add(url.replace("+", "%20"));
        for (JsonStyle style : JsonStyle.ALL) {
            derived.add(style.escape(value));
        }
    }

    /** See "Base64 inside a larger payload" in the class comment. */
    private static void addBase64(Set<String> derived, byte[] bytes, Base64.Encoder padded) {
        Base64.Encoder unpadded = padded.withoutPadding();
        for (int k = 0; k < 3; k++) {
            byte[] aligned = new byte[k + bytes.length];
            System.arraycopy(bytes, 0, aligned, k, bytes.length);
            String bare = unpadded.encodeToString(aligned);
            int from = (8 * k + 5) / 6;
            int to = 8 * (k + bytes.length) / 6;
            derived.add(bare.substring(from, to));
            derived.add(bare.substring(from));
            derived.add(padded.encodeToString(aligned).substring(from));
        }
    }

    /** One way of JSON-escaping a string, as some widespread library writes it. */
    private record JsonStyle(boolean upperHex, int firstEscapedNonAscii, boolean escapeSlash, boolean htmlSafe) {
        private static final int NONE = Character.MAX_VALUE + 1;
        static final List<JsonStyle> ALL = all();

        private static List<JsonStyle> all() {
            List<JsonStyle> styles = new ArrayList<>();
            for (boolean upperHex : new boolean[] {false, true}) {
                for (int firstEscaped : new int[] {NONE, 0x80, 0x7F}) {
                    for (boolean escapeSlash : new boolean[] {false, true}) {
                        for (boolean htmlSafe : new boolean[] {false, true}) {
                            styles.add(new JsonStyle(upperHex, firstEscaped, escapeSlash, htmlSafe));
                        }
                    }
                }
            }
            return List.copyOf(styles);
        }

        String escape(String value) {
            StringBuilder escaped = new StringBuilder(value.length() + 16);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> escaped.append("\\\"");
                    case '\\' -> escaped.append("\\\\");
                    case '\n' -> escaped.append("\\n");
                    case '\r' -> escaped.append("\\r");
                    case '\t' -> escaped.append("\\t");
                    case '\b' -> escaped.append("\\b");
                    case '\f' -> escaped.append("\\f");
                    case '/' -> escaped.append(escapeSlash ? "\\/" : "/");
                    default -> {
                        if (c < 0x20 || c >= firstEscapedNonAscii || (htmlSafe && isHtmlSensitive(c))) {
                            String hex = String.format(Locale.ROOT, "%04x", (int) c);
                            escaped.append("\\u").append(upperHex ? hex.toUpperCase(Locale.ROOT) : hex);
                        } else {
                            escaped.append(c);
                        }
                    }
                }
            }
            return escaped.toString();
        }

        private static boolean isHtmlSensitive(char c) {
            return "<>&='".indexOf(c) >= 0 || c == '\u2028' || c == '\u2029';
        }
    }

    // ------------------------------------------------------------------ matching

    /**
     * The matching state over one text, fed in chunks: the automaton's state, the masked ranges
     * not yet passed on, and the text not yet passed on. Positions are absolute in the text.
     */
    private static final class Scan {
        final Automaton automaton;
        private int state = Automaton.ROOT;
        private long position;
        private final StringBuilder pending = new StringBuilder();
        private long pendingStart;
        // Masked ranges [starts[i], ends[i]) not yet passed on: sorted, disjoint.
        private long[] starts = new long[4];
        private long[] ends = new long[4];
        private int count;
        // Whether the mask of range 0 has been passed on while the range could still grow.
        private boolean headPassedOn;
        private boolean matched;

        Scan(Automaton automaton, long position) {
            this.automaton = automaton;
            this.position = position;
            this.pendingStart = position;
        }

        boolean matched() {
            return matched;
        }

        void feed(CharSequence chunk, StringBuilder out) {
            for (int i = 0; i < chunk.length(); i++) {
                step(chunk.charAt(i));
            }
            // No future match can start before this: the text after it is the longest suffix
            // that can still grow into a form.
            passOn(out, position - automaton.holdback(state));
        }

        void finish(StringBuilder out) {
            passOn(out, position);
        }

        /**
         * The same text not yet passed on, rescanned with {@code next}, which knows every form
         * this scan's automaton knows and more. Matches of new forms that begin in text already
         * passed on are lost; matches of old ones are kept from this scan.
         */
        Scan rescan(Automaton next) {
            Scan fresh = new Scan(next, pendingStart);
            for (int i = 0; i < pending.length(); i++) {
                fresh.step(pending.charAt(i));
            }
            fresh.unite(this);
            return fresh;
        }

        private void step(char c) {
            pending.append(c);
            state = automaton.next(state, c);
            position++;
            int length = automaton.longest(state);
            if (length > 0) {
                add(position - length, position);
            }
        }

        /** Adds a range that ends at or after every range so far, merging those it overlaps. */
        private void add(long start, long end) {
            matched = true;
            boolean passedOn = false;
            long from = start;
            while (count > 0 && ends[count - 1] > from) {
                count--;
                from = Math.min(from, starts[count]);
                if (count == 0) {
                    passedOn = headPassedOn;
                }
            }
            append(from, end);
            if (count == 1) {
                headPassedOn = passedOn;
            }
        }

        private void append(long start, long end) {
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            starts[count] = start;
            ends[count] = end;
            count++;
        }

        /** Merges the ranges of {@code older}, a scan of the same text, into this one's. */
        private void unite(Scan older) {
            long[] ownStarts = Arrays.copyOf(starts, count);
            long[] ownEnds = Arrays.copyOf(ends, count);
            int own = count;
            count = 0;
            int i = 0;
            int j = 0;
            while (i < own || j < older.count) {
                boolean takeOwn = j == older.count || i < own && ownStarts[i] < older.starts[j];
                long start = takeOwn ? ownStarts[i] : older.starts[j];
                long end = takeOwn ? ownEnds[i++] : older.ends[j++];
                if (count > 0 && ends[count - 1] > start) {
                    ends[count - 1] = Math.max(ends[count - 1], end);
                } else {
                    append(start, end);
                }
            }
            // The older head, if passed on, started before this scan's text, so it is still first.
            headPassedOn = older.headPassedOn;
            matched |= older.matched;
        }

        /** Passes on the text before {@code safe}, which no later match can reach. */
        private void passOn(StringBuilder out, long safe) {
            long cursor = pendingStart;
            int done = 0;
            boolean open = false;
            while (done < count && starts[done] < safe) {
                if (cursor < starts[done]) {
                    out.append(pending, offset(cursor), offset(starts[done]));
                }
                if (done > 0 || !headPassedOn) {
                    out.append(MASK);
                }
                if (ends[done] <= safe) {
                    cursor = Math.max(cursor, ends[done]);
                    done++;
                } else {
                    // The range may still grow to the right; its mask is out, its text swallowed.
                    cursor = Math.max(cursor, safe);
                    open = true;
                    break;
                }
            }
            if (!open && cursor < safe) {
                out.append(pending, offset(cursor), offset(safe));
                cursor = safe;
            }
            if (done > 0) {
                System.arraycopy(starts, done, starts, 0, count - done);
                System.arraycopy(ends, done, ends, 0, count - done);
                count -= done;
            }
            headPassedOn = open;
            pending.delete(0, offset(cursor));
            pendingStart = cursor;
        }

        private int offset(long absolute) {
            return Math.toIntExact(absolute - pendingStart);
        }
    }

    /**
     * An Aho–Corasick automaton over UTF-16 units: a trie of the forms with failure links, its
     * edges in compressed rows sorted by label, and a direct table for the root's Latin-1 edges,
     * which take most of the steps. Immutable.
     */
    private static final class Automaton {
        static final int ROOT = 0;
        static final Automaton EMPTY = of(List.of());

        private final int size;
        private final int[] firstEdge; // node -> index of its first edge; size + 1 entries
        private final char[] labels;
        private final int[] targets;
        private final int[] rootLatin1 = new int[256];
        private final int[] fail;
        // The length of the longest form that ends in this state, 0 if none.
        private final int[] longest;
        // The depth of the deepest state on this state's failure chain that has edges: how much
        // of the text read so far may still become the start of a match.
        private final int[] holdback;

        static Automaton of(Collection<String> forms) {
            String[] sorted = forms.toArray(new String[0]);
            Arrays.sort(sorted);
            int capacity = 1;
            int maxLength = 0;
            for (String form : sorted) {
                capacity += form.length();
                maxLength = Math.max(maxLength, form.length());
            }
            // Built from sorted forms, each node is created by its only incoming edge, and the
            // children of a node are created in increasing label order.
            int[] parent = new int[capacity];
            char[] label = new char[capacity];
            int[] depth = new int[capacity];
            int[] terminal = new int[capacity];
            int[] path = new int[maxLength + 1];
            int size = 1;
            String previous = "";
            for (String form : sorted) {
                int common = commonPrefix(previous, form);
                for (int i = common; i < form.length(); i++) {
                    int node = size++;
                    parent[node] = path[i];
                    label[node] = form.charAt(i);
                    depth[node] = i + 1;
                    path[i + 1] = node;
                }
                terminal[path[form.length()]] = form.length();
                previous = form;
            }
            return new Automaton(size, parent, label, depth, terminal);
        }

        private Automaton(int size, int[] parent, char[] label, int[] depth, int[] terminal) {
            this.size = size;
            firstEdge = new int[size + 1];
            labels = new char[size - 1];
            targets = new int[size - 1];
            for (int node = 1; node < size; node++) {
                firstEdge[parent[node] + 1]++;
            }
            for (int node = 0; node < size; node++) {
                firstEdge[node + 1] += firstEdge[node];
            }
            int[] fill = Arrays.copyOf(firstEdge, size);
            for (int node = 1; node < size; node++) {
                int edge = fill[parent[node]]++;
                labels[edge] = label[node];
                targets[edge] = node;
                if (parent[node] == ROOT && label[node] < rootLatin1.length) {
                    rootLatin1[label[node]] = node;
                }
            }
            fail = new int[size];
            longest = new int[size];
            holdback = new int[size];
            // Breadth first, so that a node's failure target, which is shallower, is done first.
            int[] queue = new int[size];
            int tail = 0;
            queue[tail++] = ROOT;
            for (int head = 0; head < tail; head++) {
                int node = queue[head];
                boolean leaf = firstEdge[node] == firstEdge[node + 1];
                holdback[node] = leaf ? holdback[fail[node]] : depth[node];
                for (int edge = firstEdge[node]; edge < firstEdge[node + 1]; edge++) {
                    int child = targets[edge];
                    fail[child] = node == ROOT ? ROOT : next(fail[node], labels[edge]);
                    longest[child] = Math.max(terminal[child], longest[fail[child]]);
                    queue[tail++] = child;
                }
            }
        }

        boolean isEmpty() {
            return size == 1;
        }

        int next(int state, char c) {
            int current = state;
            while (true) {
                if (current == ROOT) {
                    if (c < rootLatin1.length) {
                        return rootLatin1[c];
                    }
                    int target = child(ROOT, c);
                    return target < 0 ? ROOT : target;
                }
                int target = child(current, c);
                if (target >= 0) {
                    return target;
                }
                current = fail[current];
            }
        }

        int longest(int state) {
            return longest[state];
        }

        int holdback(int state) {
            return holdback[state];
        }

        private int child(int node, char c) {
            int low = firstEdge[node];
            int high = firstEdge[node + 1] - 1;
            while (low <= high) {
                int middle = (low + high) >>> 1;
                char found = labels[middle];
                if (found < c) {
                    low = middle + 1;
                } else if (found > c) {
                    high = middle - 1;
                } else {
                    return targets[middle];
                }
            }
            return -1;
        }

        private static int commonPrefix(String a, String b) {
            int limit = Math.min(a.length(), b.length());
            int i = 0;
            while (i < limit && a.charAt(i) == b.charAt(i)) {
                i++;
            }
            return i;
        }
    }
}
