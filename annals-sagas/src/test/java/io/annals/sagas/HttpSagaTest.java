package io.annals.sagas;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.annals.store.inmemory.InMemoryEventStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A saga whose steps call an external service over HTTP: a stand-in started by the test, which
 * can be told to fail or to hang. Each call carries the step's idempotency key, which the
 * stand-in uses to drop repeats, as a real service would.
 */
class HttpSagaTest {

    /** What the stand-in does with the next requests of a method to a path. */
    enum Mode { OK, FAIL, HANG_ONCE }

    record Request(String method, String path, String key) {
    }

    record Account(String userId) {
    }

    private HttpServer standIn;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Mode> modes = new ConcurrentHashMap<>();
    private final Map<String, String> done = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private final InMemoryEventStore store = new InMemoryEventStore();

    @BeforeEach
    void startStandIn() throws IOException {
        standIn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        standIn.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        standIn.createContext("/", this::serve);
        standIn.start();
        // the first request of a JVM loads the HTTP client: not a thing a step's timeout should measure
        try {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + standIn.getAddress().getPort() + "/warm-up")).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        requests.clear();
    }

    @AfterEach
    void stop() {
        release.countDown();
        standIn.stop(0);
        store.close();
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        requests.add(new Request(exchange.getRequestMethod(), path, key));
        String target = exchange.getRequestMethod() + " " + path;
        Mode mode = modes.getOrDefault(target, Mode.OK);
        int status;
        String body;
        if (mode == Mode.HANG_ONCE) {
            modes.put(target, Mode.OK);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            status = 503;
            body = "gave up";
        } else if (mode == Mode.FAIL) {
            status = 500;
            body = "out of order";
        } else {
            // a repeat under a key seen before answers the first answer, and does nothing again
            body = done.computeIfAbsent(exchange.getRequestMethod() + " " + path + " " + key, k -> "done-" + done.size());
            status = 200;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String call(String method, String path, StepCall call) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + standIn.getAddress().getPort() + path))
                .header("Idempotency-Key", call.idempotencyKey())
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private SagaDefinition<Account> provisioning() {
        var retry = new RetryPolicy(3, Duration.ofMillis(10), 2.0, Duration.ofMillis(50));
        return SagaDefinition.of("provision", Account.class,
                Step.<Account>of("mailbox", (account, call) -> call("PUT", "/mailboxes/" + account.userId(), call),
                                (account, call) -> call("DELETE", "/mailboxes/" + account.userId(), call))
                        .withRetry(retry).withCompensationRetry(retry).withTimeout(Duration.ofSeconds(2)),
                Step.<Account>of("billing", (account, call) -> call("PUT", "/billing/" + account.userId(), call),
                                (account, call) -> call("DELETE", "/billing/" + account.userId(), call))
                        .withRetry(retry).withCompensationRetry(retry).withTimeout(Duration.ofSeconds(2)));
    }

    @Test
    void aHangingCallTimesOutAndItsRetryCarriesTheSameKey() {
        modes.put("PUT /mailboxes/ada", Mode.HANG_ONCE);
        var definition = provisioning();
        try (var engine = SagaEngine.builder(store).register(definition).build()) {
            engine.start(definition, "ada", new Account("ada"));
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.find("ada").orElseThrow().status().isAtRest());

            SagaView view = engine.find("ada").orElseThrow();
            assertThat(view.status()).isEqualTo(SagaStatus.COMPLETED);
            assertThat(view.steps().getFirst().attempts()).isEqualTo(2);
            assertThat(view.history()).filteredOn(SagaEvent.StepFailed.class::isInstance).singleElement()
                    .satisfies(failed -> assertThat(((SagaEvent.StepFailed) failed).error()).isEqualTo("timed out after PT2S"));
            assertThat(requests).filteredOn(r -> r.path().equals("/mailboxes/ada"))
                    .extracting(Request::key).containsExactly("ada/mailbox", "ada/mailbox");
        }
    }

    @Test
    void aServiceThatKeepsFailingIsCompensatedOverHttpLastFirst() {
        modes.put("PUT /billing/bob", Mode.FAIL);
        var definition = provisioning();
        try (var engine = SagaEngine.builder(store).register(definition).build()) {
            engine.start(definition, "bob", new Account("bob"));
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.find("bob").orElseThrow().status().isAtRest());

            assertThat(engine.find("bob").orElseThrow().status()).isEqualTo(SagaStatus.COMPENSATED);
            assertThat(requests).extracting(Request::method, Request::path).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("PUT", "/mailboxes/bob"),
                    org.assertj.core.groups.Tuple.tuple("PUT", "/billing/bob"),
                    org.assertj.core.groups.Tuple.tuple("PUT", "/billing/bob"),
                    org.assertj.core.groups.Tuple.tuple("PUT", "/billing/bob"),
                    org.assertj.core.groups.Tuple.tuple("DELETE", "/billing/bob"),
                    org.assertj.core.groups.Tuple.tuple("DELETE", "/mailboxes/bob"));
        }
    }
}
