package dev.pipewright.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkPojo;

/**
 * One fake service on its own loopback port, on the JDK's HTTP server. For each request: find
 * the operation, answer a queued fault if there is one, check who signed it, then let the fake
 * serve it; every answer is written in the service's protocol.
 */
final class SandboxServer {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxServer.class);

    private final SandboxService service;
    private final FakeSts sts;
    private final SandboxFaults faults;
    private final HttpServer http;
    private final Map<String, SdkPojo> lastModels = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    private SandboxServer(SandboxService service, FakeSts sts, SandboxFaults faults, ExecutorService executor) {
        this.service = service;
        this.sts = sts;
        this.faults = faults;
        try {
            this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open a loopback port for the sandbox's "
                    + service.service().displayName() + ": " + e.getMessage(), e);
        }
        http.setExecutor(executor);
        http.createContext("/", this::exchange);
    }

    /** Starts serving {@code service} on a random port of 127.0.0.1. */
    static SandboxServer start(SandboxService service, FakeSts sts, SandboxFaults faults, ExecutorService executor) {
        SandboxServer server = new SandboxServer(service, sts, faults, executor);
        server.http.start();
        return server;
    }

    URI endpoint() {
        InetSocketAddress address = http.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    /** The model object of the last successful answer to {@code operation}. */
    Optional<SdkPojo> lastResponse(String operation) {
        return Optional.ofNullable(lastModels.get(operation));
    }

    /** How many requests for {@code operation} arrived, faults and errors included. */
    int requests(String operation) {
        AtomicInteger n = counts.get(operation);
        return n == null ? 0 : n.get();
    }

    void stop() {
        http.stop(0);
    }

    private void exchange(HttpExchange exchange) {
        String requestId = UUID.randomUUID().toString();
        SandboxResponse response;
        try (exchange) {
            try {
                response = serve(read(exchange), requestId);
            } catch (SandboxError e) {
                response = service.protocol().error(e, service.namespace(), requestId);
            } catch (RuntimeException e) {
                // Answered as a 500, which the client reports; logged because it is a sandbox bug.
                LOG.error("The sandbox's {} failed on {} {}", service.service().displayName(),
                        exchange.getRequestMethod(), exchange.getRequestURI(), e);
                response = service.protocol().error(SandboxError.of(500, "InternalFailure",
                        "The sandbox failed: " + e, Map.of()), service.namespace(), requestId);
            }
            write(exchange, response, requestId);
        } catch (IOException e) {
            LOG.debug("The sandbox's {} lost a connection: {}", service.service().displayName(), e.toString());
        }
    }

    private SandboxResponse serve(SandboxRequest request, String requestId) {
        String operation = service.operation(request);
        counts.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        Optional<SandboxError> fault = faults.next(service.service(), operation);
        if (fault.isPresent()) {
            throw fault.get();
        }
        @Nullable SandboxPrincipal caller = service.signed(operation) ? sts.authenticate(service.service(), request) : null;
        SandboxResponse response = service.handle(operation, request, caller, requestId);
        if (response.model() != null) {
            lastModels.put(operation, response.model());
        }
        return response;
    }

    private static SandboxRequest read(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : exchange.getRequestHeaders().entrySet()) {
            if (!e.getValue().isEmpty()) {
                headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().get(0));
            }
        }
        URI uri = exchange.getRequestURI();
        return new SandboxRequest(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers, body);
    }

    private static void write(HttpExchange exchange, SandboxResponse response, String requestId) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
