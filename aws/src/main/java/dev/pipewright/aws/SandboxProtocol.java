package dev.pipewright.aws;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkPojo;

/**
 * The three wire protocols of the faked services, each writing results and errors as the SDK
 * 2.57 clients expect them.
 */
enum SandboxProtocol {
    /** awsQuery (STS, SNS): form-encoded requests, XML responses. */
    QUERY,
    /** restJson1 (Lambda, Synthetics): errors named by the {@code x-amzn-ErrorType} header. */
    REST_JSON,
    /** Smithy RPC v2 CBOR, query-compatible (CloudWatch): errors named by {@code x-amzn-query-error}. */
    RPC_V2_CBOR;

    /** A restJson1 or RPC v2 result, or an awsQuery result of {@code operation} under {@code namespace}. */
    SandboxResponse result(int status, String operation, String namespace, SdkPojo model, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        byte[] body = switch (this) {
            case QUERY -> {
                headers.put("Content-Type", "text/xml");
                yield SandboxWire.queryXml(operation, namespace, model, requestId);
            }
            case REST_JSON -> {
                headers.put("Content-Type", "application/json");
                yield SandboxWire.json(model);
            }
            case RPC_V2_CBOR -> {
                headers.put("Content-Type", "application/cbor");
                headers.put("smithy-protocol", "rpc-v2-cbor");
                yield SandboxWire.cbor(model);
            }
        };
        return new SandboxResponse(status, headers, body, model);
    }

    /** {@code error} in this protocol; {@code namespace} is the awsQuery XML namespace or the Smithy one. */
    SandboxResponse error(SandboxError error, String namespace, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>(error.headers());
        byte[] body = switch (this) {
            case QUERY -> {
                headers.put("Content-Type", "text/xml");
                yield SandboxWire.queryError(namespace, error.sender() ? "Sender" : "Receiver", error.code(),
                        error.getMessage(), requestId);
            }
            case REST_JSON -> {
                headers.put("Content-Type", "application/json");
                headers.put("x-amzn-ErrorType", error.code());
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("Type", error.sender() ? "User" : "Service");
                json.put("Message", error.getMessage());
                yield tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsBytes(json);
            }
            case RPC_V2_CBOR -> {
                headers.put("Content-Type", "application/cbor");
                headers.put("smithy-protocol", "rpc-v2-cbor");
                headers.put("x-amzn-query-error", error.code() + ";" + (error.sender() ? "Sender" : "Receiver"));
                Map<String, Object> cbor = new LinkedHashMap<>();
                cbor.put("__type", namespace + "#" + error.code());
                cbor.put("message", error.getMessage());
                yield SandboxCbor.encode(cbor);
            }
        };
        return new SandboxResponse(error.status(), headers, body, null);
    }
}
