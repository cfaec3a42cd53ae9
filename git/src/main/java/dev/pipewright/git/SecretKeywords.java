package dev.pipewright.git;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds every occurrence of a few dozen lower-case ASCII keywords in a text, ignoring ASCII case
 * (and reporting a few more, which the patterns then reject), in one pass.
 *
 * <p>Each keyword is looked for through its anchor: the pair of adjacent characters in it that is
 * rarest in source code ({@code sw} in {@code password}, {@code _k} in {@code private_key}),
 * ranked by a table of the 400 most frequent pairs in Java, Python and JavaScript sources. Each
 * position's two raw bytes are looked up in an 8 KB bitset of anchors in every case (it stays in
 * the L1 cache) that also marks newlines, then the next character in a mask of the anchors' next
 * characters; only the few positions left, about one in 200 in source code, compare whole
 * keywords. Every hit carries its
 * line and line start, so a scanner can run line-scoped patterns without a second pass.
 * Immutable and thread-safe.
 */
final class SecretKeywords {
    /** The 400 most frequent pairs of keyword characters in source code, most frequent first. */
    private static final String COMMON_PAIRS =
            "th in re er on de he co le te en at or ti nt st al et an ar se es od is "
            + "ed li nd me ra io ng it as ta ri to ce tr pe ec ic ll ne ea ha ur ac la "
            + "ct fi ex if ns ro lo pa va ve ul of ca ge hi ss si ma ou na il bl tu am "
            + "el ch fo pr rn un no ue cl em nc ut om ad mp ts ty ho di pt rr ot pl su "
            + "ub rt ie rs be im ep ol po pu ef ow nu op lu e. s. mo id sp hr us wi ck "
            + "iv ee ay ab ap oc // so ni yp ig ke 00 ai ld qu ls bu oo ag do up bo da "
            + "ry ob av sc nk by mi sh um ly fa ru ff ds rm dl xc ir ci lt ew rg os eg "
            + "pp tt cu fe ia fr wa cr ov .c je t. bj eq r. wh vi np oi -- cc ze gi iz "
            + "ht vo sa ba == rc xt ja ui fl a. du ib gu ip gn tc =\" dd au d. .l ev ei "
            + "nv ok nn wo uc rd bi we pm fu ws yt .i l. tp yo n. ka /c mb nf ua ey gh "
            + "ys g. ft nl ga rk oa .g pi .s gt .a .. bs gs mm u0 eb td rf gr sy sk wr "
            + "1. tw ki tl e- xp mu og 0x .o ks uf .r ny e_ af 06 ms ak 01 wn tm .u py "
            + "y. /p /l 10 e: fs dt m. ps .t .n 02 .p xe sf .f .m eo t- sl yn -s t_ dy "
            + "20 lf .h .e k. ix tf lp xa dh /a p. rh 60 dr eu br oe -1 40 ud ug f= t: "
            + "ax go d_ _c 11 yl js .1 13 s\" 0. rv rl n- f. pc -a gm c. /t ye _s s: r: "
            + "04 dc _m .0 50 e\" .2 .b 30 cy xi x1 ek d= cs b. \"c rp kn sm n: ph ml -c "
            + "gl e= _o tn /u sw _i kp 16 .d sn hu yr \"\" d- fy ";
    private static final Map<String, Integer> RANK = new HashMap<>();

    static {
        String[] common = COMMON_PAIRS.strip().split(" ");
        for (int i = 0; i < common.length; i++) {
            RANK.putIfAbsent(common[i], i);
        }
    }

    private final List<String> words;
    private final byte[][] bytes;
    /** Where each keyword's anchor starts in it. */
    private final int[] anchors;
    /**
     * Per pair of raw bytes, whether it may start an anchor (in any case) or starts with a newline:
     * 8 KB, so that the common path folds nothing.
     */
    private final long[] rawPairs = new long[256 * 256 / 64];
    /** Per anchor, the characters that may follow it (all, for an anchor ending its keyword). */
    private final long[] thirds = new long[128 * 128 * 2];
    private final int[][] byPair = new int[128 * 128][];

    SecretKeywords(List<String> words) {
        this.words = List.copyOf(words);
        this.bytes = new byte[words.size()][];
        for (int b2 = 0; b2 < 256; b2++) {
            rawPairs[('\n' << 8 | b2) >>> 6] |= 1L << b2;
        }
        this.anchors = new int[words.size()];
        for (int k = 0; k < words.size(); k++) {
            String word = words.get(k);
            checkArgument(word.length() >= 2, "keyword '%s' must have at least two characters", word);
            for (int i = 0; i < word.length(); i++) {
                char c = word.charAt(i);
                checkArgument(c > 0 && c < 128 && !(c >= 'A' && c <= 'Z'),
                        "keyword '%s' must be lower-case ASCII", word);
            }
            bytes[k] = word.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < bytes[k].length; i++) {
                bytes[k][i] = (byte) fold(bytes[k][i]);
            }
            int anchor = anchor(word);
            anchors[k] = anchor;
            int pair = (bytes[k][anchor] << 7) | bytes[k][anchor + 1];
            for (int b1 = 0; b1 < 256; b1++) {
                for (int b2 = 0; b2 < 256; b2++) {
                    if (fold((byte) b1) == bytes[k][anchor] && fold((byte) b2) == bytes[k][anchor + 1]) {
                        rawPairs[(b1 << 8 | b2) >>> 6] |= 1L << b2;
                    }
                }
            }
            if (anchor + 2 == word.length()) {
                thirds[pair * 2] = -1L;
                thirds[pair * 2 + 1] = -1L;
            } else {
                int third = bytes[k][anchor + 2];
                thirds[pair * 2 + (third >>> 6)] |= 1L << third;
            }
            int[] ids = byPair[pair] == null ? new int[0] : byPair[pair];
            ids = Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = k;
            byPair[pair] = ids;
        }
    }

    /**
     * The start of the rarest pair in {@code word} that a character follows, so that the next
     * character filters too ({@code da} in {@code dapi}, not {@code pi}); the first of equally rare
     * ones.
     */
    static int anchor(String word) {
        int best = 0;
        int bestRank = -1;
        for (int i = 0; i + (word.length() > 2 ? 2 : 1) < word.length(); i++) {
            int rank = RANK.getOrDefault(word.substring(i, i + 2), RANK.size());
            if (rank > bestRank) {
                best = i;
                bestRank = rank;
            }
        }
        return best;
    }

    List<String> words() {
        return words;
    }

    /** The hits of a search, in text order: keyword, offset, 1-based line and that line's start. */
    static final class Hits {
        int count;
        int[] keyword = new int[16];
        int[] offset = new int[16];
        int[] line = new int[16];
        int[] lineStart = new int[16];

        private void add(int k, int at, int lineNumber, int start) {
            if (count == offset.length) {
                int size = count * 2;
                keyword = Arrays.copyOf(keyword, size);
                offset = Arrays.copyOf(offset, size);
                line = Arrays.copyOf(line, size);
                lineStart = Arrays.copyOf(lineStart, size);
            }
            // Hits arrive in anchor order; a keyword anchored further in may start before the last.
            int i = count++;
            while (i > 0 && offset[i - 1] > at) {
                keyword[i] = keyword[i - 1];
                offset[i] = offset[i - 1];
                line[i] = line[i - 1];
                lineStart[i] = lineStart[i - 1];
                i--;
            }
            keyword[i] = k;
            offset[i] = at;
            line[i] = lineNumber;
            lineStart[i] = start;
        }
    }

    /**
     * Every occurrence of every keyword in {@code text}, one byte a character (as {@link
     * String#getBytes} with ISO-8859-1 gives: characters beyond it become {@code ?}), or UTF-8
     * (whose multi-byte characters match no keyword).
     */
    Hits find(byte[] text) {
        return find(text, text.length);
    }

    /** As {@link #find(byte[])}, in the first {@code length} bytes. */
    Hits find(byte[] text, int length) {
        Hits hits = new Hits();
        if (length < 2) {
            return hits;
        }
        long[] rawPairs = this.rawPairs;
        int line = 1;
        int lineStart = 0;
        int b1 = text[0] & 0xff;
        for (int i = 0; i < length - 1; i++) {
            int b2 = text[i + 1] & 0xff;
            if ((rawPairs[(b1 << 8 | b2) >>> 6] & (1L << b2)) != 0) {
                if (b1 == '\n') {
                    line++;
                    lineStart = i + 1;
                } else {
                    candidates(text, length, i, line, lineStart, hits);
                }
            }
            b1 = b2;
        }
        return hits;
    }

    /** Compares the keywords anchored at {@code i} whose anchor's next character follows. */
    private void candidates(byte[] text, int length, int i, int line, int lineStart, Hits hits) {
        int pair = (fold(text[i]) << 7) | fold(text[i + 1]);
        int third = i + 2 < length ? fold(text[i + 2]) : 0;
        if ((thirds[pair * 2 + (third >>> 6)] & (1L << third)) == 0) {
            return;
        }
        for (int k : byPair[pair]) {
            int start = i - anchors[k];
            if (start >= lineStart && matches(text, length, start, bytes[k])) {
                hits.add(k, start, line, lineStart);
            }
        }
    }

    /**
     * A byte folded to 7 bits with ASCII case ignored: {@code | 0x20} makes letters lower case, and
     * makes a few other pairs collide ({@code _} and DEL, {@code [} and <code>{</code>, control
     * characters and punctuation), which only lets through a few more candidates for the
     * comparison. No keyword holds {@code *}, the fold of a newline, which {@link #find} counts
     * separately.
     */
    private static int fold(byte b) {
        return (b | 0x20) & 0x7f;
    }

    private static boolean matches(byte[] text, int length, int at, byte[] word) {
        if (at + word.length > length) {
            return false;
        }
        for (int j = 0; j < word.length; j++) {
            if (fold(text[at + j]) != word[j]) {
                return false;
            }
        }
        return true;
    }
}
