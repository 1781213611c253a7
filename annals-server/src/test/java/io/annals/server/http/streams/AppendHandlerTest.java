package io.annals.server.http.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.server.http.AccessControl;
import io.annals.server.http.ApiKeys;
import io.annals.server.http.ProblemResponses;
import io.annals.server.http.RequestBodies;
import io.annals.server.json.Json;
import io.annals.server.metrics.NodeMetrics;
import io.annals.store.AppendLimits;
import io.annals.store.inmemory.InMemoryEventStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handler alone on a plain Jetty server over HTTP, with a recording handler where Javalin
 * would be: it answers exactly {@code POST /api/streams/{id}} and passes on everything else.
 */
class AppendHandlerTest {

    private static final String EVENT = "[{\"type\":\"A\",\"data\":{}}]";

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final NodeMetrics metrics = new NodeMetrics();
    private final List<String> passedOn = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        var mapper = Json.strictMapper();
        var bodies = new RequestBodies(mapper, 1024 * 1024);
        var appends = new StreamAppends(store, bodies, new AppendRequestParser(AppendLimits.DEFAULT.maxEventsPerAppend()), metrics);
        var handler = new AppendHandler(appends, bodies, new AccessControl(ApiKeys.NONE), new ProblemResponses(mapper), metrics);
        handler.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                passedOn.add(request.getMethod() + " " + request.getHttpURI().getPathQuery());
                response.setStatus(299);
                response.write(true, ByteBuffer.wrap("next".getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server = new Server(new VirtualThreadPool());
        var connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        store.close();
        metrics.close();
    }

    @Test
    void answersAnAppendItselfAndPassesNothingOn() throws Exception {
        var created = send("POST", "/api/streams/h-1", EVENT);

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).startsWith("{\"nextExpectedVersion\":0,\"position\":\"");
        assertThat(passedOn).isEmpty();
        assertThat(store.readStream(io.annals.event.StreamId.of("h-1"), 0, io.annals.store.ReadDirection.FORWARD, 10)).hasSize(1);
    }

    @Test
    void passesEveryOtherMethodAndPathOn() throws Exception {
        for (String[] request : new String[][] {
                {"GET", "/api/streams/h-2"}, {"DELETE", "/api/streams/h-2?hard=true"}, {"PUT", "/api/streams/h-2"},
                {"POST", "/api/streams/h-2/"}, {"POST", "/api/streams/"}, {"POST", "/api/streams/h-2/x"},
                {"POST", "/api/streamsh-2"}, {"POST", "/api/events"}, {"GET", "/health"}}) {
            var response = send(request[0], request[1], request[0].equals("GET") ? null : EVENT);

            assertThat(response.statusCode()).as(request[0] + " " + request[1]).isEqualTo(299);
        }
        assertThat(passedOn).containsExactly("GET /api/streams/h-2", "DELETE /api/streams/h-2?hard=true",
                "PUT /api/streams/h-2", "POST /api/streams/h-2/", "POST /api/streams/", "POST /api/streams/h-2/x",
                "POST /api/streamsh-2", "POST /api/events", "GET /health");
        assertThat(store.streamState(io.annals.event.StreamId.of("h-2"))).isEqualTo(io.annals.store.StreamState.absent());
    }

    @Test
    void decodesAPercentEncodedStreamIdAndAnswersItsPlainLocation() throws Exception {
        var created = send("POST", "/api/streams/h%2D3", EVENT);

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/streams/h-3");
        assertThat(store.readStream(io.annals.event.StreamId.of("h-3"), 0, io.annals.store.ReadDirection.FORWARD, 10)).hasSize(1);
    }

    @Test
    void recognisesExactlyTheStreamPathShape() {
        assertThat(AppendHandler.isStreamPath("/api/streams/a")).isTrue();
        assertThat(AppendHandler.isStreamPath("/api/streams/")).isFalse();
        assertThat(AppendHandler.isStreamPath("/api/streams/a/")).isFalse();
        assertThat(AppendHandler.isStreamPath("/api/streams")).isFalse();
        assertThat(AppendHandler.isStreamPath("/api/streamsa")).isFalse();
        assertThat(AppendHandler.isStreamPath(null)).isFalse();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        var publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return http.send(HttpRequest.newBuilder(base.resolve(path)).method(method, publisher).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
