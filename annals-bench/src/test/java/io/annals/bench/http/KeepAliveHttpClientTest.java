package io.annals.bench.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Talks to the JDK's own HTTP server over real sockets. */
class KeepAliveHttpClientTest {

    private HttpServer server;
    private final Set<InetSocketAddress> clientEnds = ConcurrentHashMap.newKeySet();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private KeepAliveHttpClient client;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/echo", exchange -> answer(exchange, 201, Map.of(), requestSummary(exchange)));
        server.createContext("/refuse", exchange -> answer(exchange, 409, Map.of(), "{\"detail\":\"conflict\"}"));
        server.createContext("/closing", exchange -> answer(exchange, 201, Map.of("Connection", "close"), "bye"));
        server.createContext("/chunked", exchange -> {
            received.add(requestSummary(exchange));
            exchange.sendResponseHeaders(201, 0); // length 0 makes the JDK server stream chunks
            try (var body = exchange.getResponseBody()) {
                body.write("streamed".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
        client = new KeepAliveHttpClient(server.getAddress(), 5_000);
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.stop(0);
    }

    @Test
    void sendsHeadersAndBodyAndReusesOneConnection() throws IOException {
        for (int i = 0; i < 3; i++) {
            var response = client.post("/echo", Map.of("Expected-Version", Integer.toString(i)),
                    ("[" + i + "]").getBytes(StandardCharsets.UTF_8));

            assertThat(response.status()).isEqualTo(201);
            assertThat(response.bodyText()).isEqualTo("POST /echo Expected-Version=" + i + " Content-Length=3 [" + i + "]");
        }
        assertThat(clientEnds).hasSize(1);
    }

    @Test
    void sendsAPreparedPostWithItsOwnHeaderEachTime() throws IOException {
        var prepared = client.prepare("/echo", Map.of("X-Fixed", "yes"));
        for (int i = 0; i < 3; i++) {
            var response = client.post(prepared, "Expected-Version", Integer.toString(10 * i),
                    ("[" + i + "]").getBytes(StandardCharsets.UTF_8));

            assertThat(response.status()).isEqualTo(201);
            assertThat(response.bodyText()).isEqualTo("POST /echo Expected-Version=" + 10 * i + " Content-Length=3 [" + i + "]");
        }
        assertThat(client.post(prepared, null, null, new byte[0]).bodyText())
                .isEqualTo("POST /echo Expected-Version=null Content-Length=0 ");
        assertThat(clientEnds).hasSize(1);
    }

    @Test
    void returnsOtherStatusesWithTheirBodyAndKeepsTheConnection() throws IOException {
        var refused = client.post("/refuse", Map.of(), new byte[0]);
        var echoed = client.post("/echo", Map.of("Expected-Version", "any"), new byte[0]);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.bodyText()).isEqualTo("{\"detail\":\"conflict\"}");
        assertThat(echoed.status()).isEqualTo(201);
        assertThat(clientEnds).hasSize(1);
    }

    @Test
    void reconnectsAfterTheServerSaysConnectionClose() throws IOException {
        var closing = client.post("/closing", Map.of(), new byte[0]);
        var next = client.post("/echo", Map.of("Expected-Version", "0"), new byte[0]);

        assertThat(closing.bodyText()).isEqualTo("bye");
        assertThat(next.status()).isEqualTo(201);
        assertThat(clientEnds).hasSize(2);
    }

    @Test
    void refusesChunkedResponsesClearly() {
        assertThatThrownBy(() -> client.post("/chunked", Map.of(), new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Transfer-Encoding: chunked");
    }

    @Test
    void recoversOnANewConnectionAfterAFailure() throws IOException {
        assertThatThrownBy(() -> client.post("/chunked", Map.of(), new byte[0])).isInstanceOf(IOException.class);

        assertThat(client.post("/echo", Map.of("Expected-Version", "1"), new byte[0]).status()).isEqualTo(201);
        assertThat(clientEnds).hasSize(2);
    }

    @Test
    void refusesHeaderValuesThatWouldSplitTheRequest() {
        assertThatThrownBy(() -> client.post("/echo", Map.of("Expected-Version", "1\r\nX-Injected: yes"), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.post(client.prepare("/echo", Map.of()), "Expected-Version", "1\nX-Injected: yes", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private String requestSummary(HttpExchange exchange) throws IOException {
        clientEnds.add(exchange.getRemoteAddress());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        return exchange.getRequestMethod() + " " + exchange.getRequestURI()
                + " Expected-Version=" + exchange.getRequestHeaders().getFirst("Expected-Version")
                + " Content-Length=" + exchange.getRequestHeaders().getFirst("Content-Length") + " " + body;
    }

    private void answer(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/echo")) {
            requestSummary(exchange);
        }
        headers.forEach(exchange.getResponseHeaders()::add);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
