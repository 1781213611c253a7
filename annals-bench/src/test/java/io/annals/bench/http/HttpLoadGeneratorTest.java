package io.annals.bench.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the JDK's own HTTP server over real sockets. */
class HttpLoadGeneratorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private HttpServer server;
    private String host;
    private final Set<InetSocketAddress> clientEnds = ConcurrentHashMap.newKeySet();
    private final AtomicInteger answered = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // a thread per exchange, so that one exchange held open does not stall the others
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/echo", exchange -> answer(exchange, 201, Map.of(), summary(exchange)));
        server.createContext("/refuse", exchange -> answer(exchange, 409, Map.of(), "{\"detail\":\"conflict\"}"));
        server.createContext("/closing", exchange -> answer(exchange, 201, Map.of("Connection", "close"), "bye"));
        server.createContext("/chunked", exchange -> {
            summary(exchange);
            exchange.sendResponseHeaders(201, 0); // length 0 makes the JDK server stream chunks
            try (var body = exchange.getResponseBody()) {
                body.write("streamed".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
        host = server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void sendsEachConnectionsRequestsInOrderOnOneKeptAliveConnection() throws Exception {
        var posts = List.of(PreparedRequest.of(host, "/echo?c=0", Map.of("X-Fixed", "yes")),
                PreparedRequest.of(host, "/echo?c=1", Map.of("X-Fixed", "yes")));
        var answers = new ConcurrentHashMap<String, String>();
        var load = new HttpLoadGenerator(server.getAddress(), 2, TIMEOUT,
                (connection, iteration) -> posts.get(connection).request("Expected-Version", Long.toString(iteration),
                        ("[" + iteration + "]").getBytes(StandardCharsets.UTF_8)),
                (connection, iteration, response) -> {
                    assertThat(response.status()).isEqualTo(201);
                    answers.putIfAbsent(connection + "/" + iteration, response.bodyText());
                });

        var result = load.run(Duration.ofMillis(100), Duration.ofMillis(300));

        assertThat(answers).containsEntry("0/0", "POST /echo?c=0 X-Fixed=yes Expected-Version=0 Content-Length=3 [0]")
                .containsEntry("1/0", "POST /echo?c=1 X-Fixed=yes Expected-Version=0 Content-Length=3 [0]")
                .containsEntry("0/7", "POST /echo?c=0 X-Fixed=yes Expected-Version=7 Content-Length=3 [7]");
        assertThat(clientEnds).hasSize(2);
        assertThat(result.eventsPerSecond()).isPositive();
        // every answer in the window has its latency, and the window holds fewer answers than the run
        long inWindow = Math.round(result.eventsPerSecond() * 0.3);
        assertThat((long) result.latencies().size()).isEqualTo(inWindow).isLessThan(answered.get());
        assertThat(result.latencies().percentileMillis(99)).isPositive();
    }

    @Test
    void endsTheRunWithTheChecksFailure() {
        var load = new HttpLoadGenerator(server.getAddress(), 3, TIMEOUT,
                (connection, iteration) -> PreparedRequest.of(host, "/refuse", Map.of()).request(null, null, new byte[0]),
                (connection, iteration, response) -> {
                    if (response.status() != 201) {
                        throw new IllegalStateException("answered " + response.status() + ": " + response.bodyText());
                    }
                });

        assertThatThrownBy(() -> load.run(Duration.ZERO, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("answered 409: {\"detail\":\"conflict\"}");
    }

    @Test
    void refusesChunkedAnswersClearly() {
        var load = new HttpLoadGenerator(server.getAddress(), 1, TIMEOUT,
                (connection, iteration) -> PreparedRequest.of(host, "/chunked", Map.of()).request(null, null, new byte[0]),
                (connection, iteration, response) -> { });

        assertThatThrownBy(() -> load.run(Duration.ZERO, Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Transfer-Encoding: chunked");
    }

    @Test
    void saysSoWhenTheServerClosesAKeepAliveConnection() {
        var load = new HttpLoadGenerator(server.getAddress(), 1, TIMEOUT,
                (connection, iteration) -> PreparedRequest.of(host, "/closing", Map.of()).request(null, null, new byte[0]),
                (connection, iteration, response) -> assertThat(response.bodyText()).isEqualTo("bye"));

        assertThatThrownBy(() -> load.run(Duration.ZERO, Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Connection: close after 201");
    }

    @Test
    void givesUpWhenNoAnswerComesWithinTheTimeout() throws IOException {
        // a server that accepts connections and never answers
        try (var silent = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var load = new HttpLoadGenerator((InetSocketAddress) silent.getLocalSocketAddress(), 1, Duration.ofMillis(200),
                    (connection, iteration) -> PreparedRequest.of(host, "/echo", Map.of()).request(null, null, new byte[0]),
                    (connection, iteration, response) -> { });

            assertThatThrownBy(() -> load.run(Duration.ZERO, Duration.ofSeconds(30)))
                    .isInstanceOf(IOException.class)
                    .hasMessage("connection 0: no answer for 200 ms");
        }
    }

    @Test
    void givesUpOnOneStuckConnectionWhileTheOthersAreAnswered() throws InterruptedException {
        var release = new CountDownLatch(1);
        server.createContext("/hang", exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 201, Map.of(), "late");
        });
        var paths = List.of("/echo", "/hang", "/echo");
        var load = new HttpLoadGenerator(server.getAddress(), 3, Duration.ofMillis(300),
                (connection, iteration) -> PreparedRequest.of(host, paths.get(connection), Map.of()).request(null, null, new byte[0]),
                (connection, iteration, response) -> { });
        try {
            assertThatThrownBy(() -> load.run(Duration.ZERO, Duration.ofSeconds(30)))
                    .isInstanceOf(IOException.class)
                    .hasMessage("connection 1: no answer for 300 ms");
            assertThat(answered.get()).as("the other connections kept going").isGreaterThan(2);
        } finally {
            release.countDown();
        }
    }

    @Test
    void refusesHeaderValuesThatWouldSplitTheRequest() {
        assertThatThrownBy(() -> PreparedRequest.of(host, "/echo", Map.of("Expected-Version", "1\r\nX-Injected: yes")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PreparedRequest.of(host, "/echo", Map.of()).request("Expected-Version", "1\nX-Injected: yes", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private String summary(HttpExchange exchange) throws IOException {
        clientEnds.add(exchange.getRemoteAddress());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        return exchange.getRequestMethod() + " " + exchange.getRequestURI()
                + " X-Fixed=" + exchange.getRequestHeaders().getFirst("X-Fixed")
                + " Expected-Version=" + exchange.getRequestHeaders().getFirst("Expected-Version")
                + " Content-Length=" + exchange.getRequestHeaders().getFirst("Content-Length") + " " + body;
    }

    private void answer(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/echo")) {
            summary(exchange);
        }
        headers.forEach(exchange.getResponseHeaders()::add);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        answered.incrementAndGet();
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
