package dev.pipewright.aws;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The subset of CBOR (RFC 8949) that Smithy RPC v2 CBOR uses: integers, floats, byte and text
 * strings, arrays, maps with text keys, booleans, null, and tag 1 (epoch-seconds timestamps).
 * Small enough to keep Jackson's CBOR module off the sandbox's classpath.
 *
 * <p>Decoded values are {@code Long} or {@code BigInteger}, {@code Double}, {@code byte[]},
 * {@code String}, {@code List}, {@code Map<String, Object>} (in wire order), {@code Boolean},
 * {@code null}, and {@code Instant} for tag 1.
 */
final class SandboxCbor {
    private static final int UNSIGNED = 0;
    private static final int NEGATIVE = 1;
    private static final int BYTES = 2;
    private static final int TEXT = 3;
    private static final int ARRAY = 4;
    private static final int MAP = 5;
    private static final int TAG = 6;
    private static final int SIMPLE = 7;
    private static final int INDEFINITE = 31;
    private static final int BREAK = 0xff;

    private SandboxCbor() { }

    // ------------------------------------------------------------------ encoding

    /** Encodes {@code value}, one of the types {@link #decode} returns (plus Integer, Float, BigDecimal). */
    static byte[] encode(@Nullable Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, value);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, @Nullable Object value) {
        if (value == null) {
            out.write(0xf6);
        } else if (value instanceof Boolean b) {
            out.write(b ? 0xf5 : 0xf4);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            long n = ((Number) value).longValue();
            head(out, n >= 0 ? UNSIGNED : NEGATIVE, n >= 0 ? n : -1 - n);
        } else if (value instanceof Float f) {
            out.write(0xfa);
            int bits = Float.floatToIntBits(f);
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write(bits >>> shift);
            }
        } else if (value instanceof Double d) {
            writeDouble(out, d);
        } else if (value instanceof BigDecimal d) {
            // Tag 4: a decimal fraction [exponent, mantissa], as Smithy's bigDecimal.
            head(out, TAG, 4);
            head(out, ARRAY, 2);
            write(out, (long) -d.scale());
            write(out, d.unscaledValue().longValueExact());
        } else if (value instanceof BigInteger i) {
            write(out, i.longValueExact());
        } else if (value instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            head(out, TEXT, utf8.length);
            out.writeBytes(utf8);
        } else if (value instanceof byte[] bytes) {
            head(out, BYTES, bytes.length);
            out.writeBytes(bytes);
        } else if (value instanceof Instant instant) {
            head(out, TAG, 1);
            if (instant.getNano() == 0) {
                write(out, instant.getEpochSecond());
            } else {
                writeDouble(out, instant.getEpochSecond() + instant.getNano() / 1e9);
            }
        } else if (value instanceof List<?> list) {
            head(out, ARRAY, list.size());
            list.forEach(v -> write(out, v));
        } else if (value instanceof Map<?, ?> map) {
            head(out, MAP, map.size());
            map.forEach((k, v) -> {
                write(out, (String) k);
                write(out, v);
            });
        } else {
            throw new IllegalArgumentException("no CBOR encoding for " + value.getClass().getName());
        }
    }

    private static void writeDouble(ByteArrayOutputStream out, double d) {
        out.write(0xfb);
        long bits = Double.doubleToLongBits(d);
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (bits >>> shift));
        }
    }

    private static void head(ByteArrayOutputStream out, int major, long n) {
        int m = major << 5;
        if (n < 24) {
            out.write(m | (int) n);
        } else if (n < 0x100) {
            out.write(m | 24);
            out.write((int) n);
        } else if (n < 0x10000) {
            out.write(m | 25);
            out.write((int) (n >>> 8));
            out.write((int) n);
        } else if (n < 0x100000000L) {
            out.write(m | 26);
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write((int) (n >>> shift));
            }
        } else {
            out.write(m | 27);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (n >>> shift));
            }
        }
    }

    // ------------------------------------------------------------------ decoding

    /**
     * Decodes one data item filling all of {@code data}; an empty body decodes as an empty map,
     * as RPC v2 allows for operations without input.
     *
     * @throws IllegalArgumentException if {@code data} is not well-formed CBOR of the subset
     */
    static @Nullable Object decode(byte[] data) {
        if (data.length == 0) {
            return new LinkedHashMap<String, Object>();
        }
        Reader r = new Reader(data);
        Object value = r.item();
        if (r.pos != data.length) {
            throw new IllegalArgumentException("trailing bytes after the CBOR item at offset " + r.pos);
        }
        return value;
    }

    private static final class Reader {
        private final byte[] data;
        private int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        private int next() {
            if (pos >= data.length) {
                throw new IllegalArgumentException("CBOR ends early at offset " + pos);
            }
            return data[pos++] & 0xff;
        }

        private long argument(int info) {
            if (info < 24) {
                return info;
            }
            int bytes = switch (info) {
                case 24 -> 1;
                case 25 -> 2;
                case 26 -> 4;
                case 27 -> 8;
                default -> throw new IllegalArgumentException("bad CBOR length " + info + " at offset " + (pos - 1));
            };
            long n = 0;
            for (int i = 0; i < bytes; i++) {
                n = (n << 8) | next();
            }
            return n;
        }

        private int length(int info) {
            long n = argument(info);
            if (n < 0 || n > data.length) { // every item takes at least one byte
                throw new IllegalArgumentException("CBOR length " + n + " too large at offset " + pos);
            }
            return (int) n;
        }

        @Nullable Object item() {
            int initial = next();
            int major = initial >>> 5;
            int info = initial & 0x1f;
            switch (major) {
                case UNSIGNED: {
                    long n = argument(info);
                    return n >= 0 ? (Object) n : new BigInteger(Long.toUnsignedString(n));
                }
                case NEGATIVE: {
                    long n = argument(info);
                    return n >= 0 ? (Object) (-1 - n) : BigInteger.ONE.negate().subtract(new BigInteger(Long.toUnsignedString(n)));
                }
                case BYTES:
                    return info == INDEFINITE ? chunks(BYTES) : slice(length(info));
                case TEXT:
                    return new String(info == INDEFINITE ? chunks(TEXT) : slice(length(info)), StandardCharsets.UTF_8);
                case ARRAY: {
                    List<@Nullable Object> list = new ArrayList<>();
                    if (info == INDEFINITE) {
                        while (peek() != BREAK) {
                            list.add(item());
                        }
                        pos++;
                    } else {
                        int n = length(info);
                        for (int i = 0; i < n; i++) {
                            list.add(item());
                        }
                    }
                    return list;
                }
                case MAP: {
                    Map<String, @Nullable Object> map = new LinkedHashMap<>();
                    if (info == INDEFINITE) {
                        while (peek() != BREAK) {
                            entry(map);
                        }
                        pos++;
                    } else {
                        int n = length(info);
                        for (int i = 0; i < n; i++) {
                            entry(map);
                        }
                    }
                    return map;
                }
                case TAG: {
                    long tag = argument(info);
                    Object value = item();
                    if (tag == 1 && value instanceof Number seconds) {
                        double s = seconds.doubleValue();
                        long whole = (long) Math.floor(s);
                        long nanos = Math.round((s - whole) * 1e9);
                        return Instant.ofEpochSecond(whole, nanos);
                    }
                    if (tag == 4 && value instanceof List<?> parts && parts.size() == 2) {
                        return new BigDecimal(BigInteger.valueOf(((Number) parts.get(1)).longValue()),
                                (int) -((Number) parts.get(0)).longValue());
                    }
                    return value;
                }
                default:
                    return simple(info);
            }
        }

        private void entry(Map<String, @Nullable Object> map) {
            Object key = item();
            if (!(key instanceof String k)) {
                throw new IllegalArgumentException("CBOR map key is not text at offset " + pos);
            }
            map.put(k, item());
        }

        private @Nullable Object simple(int info) {
            switch (info) {
                case 20:
                    return Boolean.FALSE;
                case 21:
                    return Boolean.TRUE;
                case 22:
                case 23:
                    return null;
                case 25: {
                    int half = (next() << 8) | next();
                    return halfToDouble(half);
                }
                case 26:
                    return (double) Float.intBitsToFloat((int) argument(26));
                case 27:
                    return Double.longBitsToDouble(argument(27));
                default:
                    throw new IllegalArgumentException("unsupported CBOR simple value " + info + " at offset " + (pos - 1));
            }
        }

        private int peek() {
            if (pos >= data.length) {
                throw new IllegalArgumentException("CBOR ends early at offset " + pos);
            }
            return data[pos] & 0xff;
        }

        private byte[] slice(int n) {
            if (n > data.length - pos) {
                throw new IllegalArgumentException("CBOR ends early: " + n + " bytes wanted at offset " + pos);
            }
            byte[] out = new byte[n];
            System.arraycopy(data, pos, out, 0, n);
            pos += n;
            return out;
        }

        private byte[] chunks(int major) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (peek() != BREAK) {
                int initial = next();
                if (initial >>> 5 != major) {
                    throw new IllegalArgumentException("bad chunk in an indefinite CBOR string at offset " + (pos - 1));
                }
                out.writeBytes(slice(length(initial & 0x1f)));
            }
            pos++;
            return out.toByteArray();
        }
    }

    private static double halfToDouble(int half) {
        int exponent = (half >>> 10) & 0x1f;
        int mantissa = half & 0x3ff;
        double value;
        if (exponent == 0) {
            value = mantissa * Math.pow(2, -24);
        } else if (exponent == 31) {
            value = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            value = (mantissa + 1024) * Math.pow(2, exponent - 25);
        }
        return (half & 0x8000) != 0 ? -value : value;
    }
}
