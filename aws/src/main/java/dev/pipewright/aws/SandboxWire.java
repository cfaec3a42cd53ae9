package dev.pipewright.aws;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.traits.TimestampFormatTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes response bodies from the SDK's own model objects, by walking {@link SdkPojo#sdkFields()}
 * with the member names, list and map traits the SDK's unmarshallers read. A body the fake sends
 * is therefore spelled exactly as the SDK expects; a test round-trips every canned response
 * through the real clients to prove it.
 */
final class SandboxWire {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SandboxWire() { }

    /** A restJson1 body (Lambda, Synthetics): timestamps as epoch seconds, blobs in base64. */
    static byte[] json(SdkPojo pojo) {
        return JSON.writeValueAsBytes(tree(pojo, Protocol.JSON));
    }

    /** A Smithy RPC v2 CBOR body (CloudWatch): timestamps as tag 1, blobs as byte strings. */
    static byte[] cbor(SdkPojo pojo) {
        return SandboxCbor.encode(tree(pojo, Protocol.CBOR));
    }

    /**
     * An awsQuery body (STS, SNS): {@code <OpResponse><OpResult>...</OpResult><ResponseMetadata>}.
     * The result must come first: the SDK reads the first child of the response element.
     */
    static byte[] queryXml(String operation, String namespace, SdkPojo result, String requestId) {
        StringBuilder xml = new StringBuilder(512);
        xml.append("<").append(operation).append("Response xmlns=\"").append(namespace).append("\">");
        xml.append("<").append(operation).append("Result>");
        xmlFields(xml, result);
        xml.append("</").append(operation).append("Result>");
        xml.append("<ResponseMetadata><RequestId>").append(requestId).append("</RequestId></ResponseMetadata>");
        xml.append("</").append(operation).append("Response>");
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An awsQuery error body. */
    static byte[] queryError(String namespace, String type, String code, String message, String requestId) {
        String xml = "<ErrorResponse xmlns=\"" + namespace + "\"><Error><Type>" + type + "</Type><Code>" + escape(code)
                + "</Code><Message>" + escape(message) + "</Message></Error><RequestId>" + requestId
                + "</RequestId></ErrorResponse>";
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ JSON and CBOR

    private enum Protocol { JSON, CBOR }

    private static Map<String, @Nullable Object> tree(SdkPojo pojo, Protocol protocol) {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            if (absent(value)) {
                continue;
            }
            checkPayload(field, pojo);
            out.put(field.locationName(), value(field, value, protocol));
        }
        return out;
    }

    private static @Nullable Object value(SdkField<?> field, Object value, Protocol protocol) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.SDK_POJO) {
            return tree((SdkPojo) value, protocol);
        }
        if (type == MarshallingType.LIST) {
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            List<@Nullable Object> list = new ArrayList<>();
            for (Object element : (List<?>) value) {
                list.add(element == null ? null : value(member, element, protocol));
            }
            return list;
        }
        if (type == MarshallingType.MAP) {
            SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
            Map<String, @Nullable Object> map = new LinkedHashMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> map.put((String) k, v == null ? null : value(member, v, protocol)));
            return map;
        }
        if (type == MarshallingType.INSTANT) {
            Instant instant = (Instant) value;
            if (protocol == Protocol.CBOR) {
                return instant;
            }
            TimestampFormatTrait.Format format = field.getOptionalTrait(TimestampFormatTrait.class)
                    .map(TimestampFormatTrait::format).orElse(TimestampFormatTrait.Format.UNIX_TIMESTAMP);
            return switch (format) {
                case ISO_8601 -> DateTimeFormatter.ISO_INSTANT.format(instant);
                case RFC_822 -> DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(java.time.ZoneOffset.UTC));
                case UNIX_TIMESTAMP_MILLIS -> instant.toEpochMilli();
                // Whole seconds as an integer: a stripped BigDecimal would print as 1.7E+9.
                default -> instant.getNano() == 0 ? (Object) instant.getEpochSecond()
                        : BigDecimal.valueOf(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano(), 9))
                                .stripTrailingZeros();
            };
        }
        if (type == MarshallingType.SDK_BYTES) {
            byte[] bytes = ((SdkBytes) value).asByteArray();
            return protocol == Protocol.CBOR ? bytes : Base64.getEncoder().encodeToString(bytes);
        }
        if (type == MarshallingType.DOCUMENT) {
            throw new IllegalArgumentException("document members are not supported: " + field.memberName());
        }
        return value; // String, Integer, Long, Float, Double, BigDecimal, Boolean
    }

    /**
     * Whether a member was never set. Unset lists and maps are the SDK's auto-construct
     * placeholders, not null; writing them as empty would make the parsed object differ
     * ({@code hasTags()} true instead of false).
     */
    private static boolean absent(@Nullable Object value) {
        return value == null || value instanceof SdkAutoConstructList || value instanceof SdkAutoConstructMap;
    }

    private static void checkPayload(SdkField<?> field, SdkPojo pojo) {
        MarshallLocation location = field.location();
        if (location != MarshallLocation.PAYLOAD) {
            // No canned response of the sandbox puts data in headers or the status; fail loudly
            // rather than drop a member the client would then see as null.
            throw new IllegalArgumentException(pojo.getClass().getSimpleName() + "." + field.memberName()
                    + " is sent in the " + location + ", which the sandbox does not write");
        }
    }

    // ------------------------------------------------------------------ awsQuery XML

    private static void xmlFields(StringBuilder xml, SdkPojo pojo) {
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            if (absent(value)) {
                continue;
            }
            checkPayload(field, pojo);
            xmlMember(xml, field, field.locationName(), value);
        }
    }

    private static void xmlMember(StringBuilder xml, SdkField<?> field, String name, Object value) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.LIST) {
            ListTrait trait = field.getRequiredTrait(ListTrait.class);
            String member = trait.memberLocationName() == null ? "member" : trait.memberLocationName();
            if (!trait.isFlattened()) {
                xml.append('<').append(name).append('>');
            }
            for (Object element : (List<?>) value) {
                xmlMember(xml, trait.memberFieldInfo(), trait.isFlattened() ? name : member, element);
            }
            if (!trait.isFlattened()) {
                xml.append("</").append(name).append('>');
            }
            return;
        }
        if (type == MarshallingType.MAP) {
            MapTrait trait = field.getRequiredTrait(MapTrait.class);
            if (!trait.isFlattened()) {
                xml.append('<').append(name).append('>');
            }
            ((Map<?, ?>) value).forEach((k, v) -> {
                xml.append(trait.isFlattened() ? "<" + name + ">" : "<entry>");
                xml.append('<').append(trait.keyLocationName()).append('>').append(escape((String) k))
                        .append("</").append(trait.keyLocationName()).append('>');
                xmlMember(xml, trait.valueFieldInfo(), trait.valueLocationName(), v);
                xml.append(trait.isFlattened() ? "</" + name + ">" : "</entry>");
            });
            if (!trait.isFlattened()) {
                xml.append("</").append(name).append('>');
            }
            return;
        }
        xml.append('<').append(name).append('>');
        if (type == MarshallingType.SDK_POJO) {
            xmlFields(xml, (SdkPojo) value);
        } else if (type == MarshallingType.INSTANT) {
            xml.append(DateTimeFormatter.ISO_INSTANT.format((Instant) value));
        } else if (type == MarshallingType.SDK_BYTES) {
            xml.append(Base64.getEncoder().encodeToString(((SdkBytes) value).asByteArray()));
        } else if (type == MarshallingType.DOCUMENT) {
            throw new IllegalArgumentException("document members are not supported: " + field.memberName());
        } else {
            xml.append(escape(String.valueOf(value)));
        }
        xml.append("</").append(name).append('>');
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r' -> out.append("&#13;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
