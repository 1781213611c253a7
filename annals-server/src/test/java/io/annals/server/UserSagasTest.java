package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.annals.server.store.StoreSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user example's sagas against a stand-in outside service that the test makes fail or hang:
 * the provisioning saga (an account, then a welcome, undone in reverse when a step fails for
 * good) and the account guard's notice, whose failed deliveries are retried while the lock holds.
 */
class UserSagasTest {

    /** What the stand-in does with requests to a path. */
    enum Mode { OK, FAIL, HANG_ONCE, FAIL_TWICE }

    record Call(String method, String path, String key) {
    }

    @TempDir
    Path directory;

    private HttpServer standIn;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Mode> modes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private AnnalsNode node;
    private NodeClient client;

    @BeforeEach
    void start() throws IOException {
        standIn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        standIn.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        standIn.createContext("/", this::serve);
        standIn.start();
        String base = "http://127.0.0.1:" + standIn.getAddress().getPort();
        node = Examples.start(NodeConfig.ephemeral(new StoreSettings.Sqlite(directory)).withSettings(Map.of(
                "users.provisioning-url", base + "/provisioning",
                "users.provisioning-timeout", "1s",
                "users.notify-url", base + "/notices",
                "users.unlock-after", "3s", "users.allowed-lateness", "2s")));
        client = new NodeClient(node.baseUri());
    }

    @AfterEach
    void stop() {
        release.countDown();
        node.stop();
        standIn.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        calls.add(new Call(exchange.getRequestMethod(), path, exchange.getRequestHeaders().getFirst("Idempotency-Key")));
        exchange.getRequestBody().readAllBytes();
        // modes are set by resource, before the user (and so the id in the path) exists
        String target = exchange.getRequestMethod() + " " + path.substring(0, path.lastIndexOf('/'));
        int status = switch (modes.getOrDefault(target, Mode.OK)) {
            case OK -> 200;
            case FAIL -> 500;
            case FAIL_TWICE -> failures.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet() <= 2 ? 503 : 200;
            case HANG_ONCE -> {
                modes.put(target, Mode.OK);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                yield 503;
            }
        };
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private String register(String email) {
        var response = client.post("/api/users", "{\"email\":\"" + email + "\",\"name\":\"Someone\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("userId").asText();
    }

    private JsonNode awaitSagaAtRest(String userId) {
        String path = "/api/sagas/provision-" + userId;
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            var saga = client.get(path);
            return saga.status() == 200 && List.of("completed", "compensated", "needs-attention")
                    .contains(saga.json().get("status").asText());
        });
        return client.get(path).json();
    }

    private List<Call> callsTo(String pathPart) {
        return calls.stream().filter(call -> call.path().contains(pathPart)).toList();
    }

    @Test
    void aNewUserIsProvisionedAndAHangingCallIsRetriedUnderTheSameKey() {
        modes.put("PUT /provisioning/accounts", Mode.HANG_ONCE);
        String userId = register("ada@example.com");

        JsonNode saga = awaitSagaAtRest(userId);
        assertThat(saga.get("status").asText()).isEqualTo("completed");
        assertThat(callsTo(userId)).extracting(Call::method, Call::path).endsWith(
                org.assertj.core.groups.Tuple.tuple("PUT", "/provisioning/welcome/" + userId));
        assertThat(callsTo("/accounts/" + userId)).extracting(Call::key)
                .containsExactly("provision-" + userId + "/account", "provision-" + userId + "/account");
    }

    @Test
    void aStepThatKeepsFailingUndoesTheStepsBeforeIt() {
        modes.put("PUT /provisioning/welcome", Mode.FAIL);
        String userId = register("bob@example.com");

        JsonNode saga = awaitSagaAtRest(userId);
        assertThat(saga.get("status").asText()).isEqualTo("compensated");
        assertThat(callsTo(userId)).extracting(Call::method, Call::path).contains(
                org.assertj.core.groups.Tuple.tuple("DELETE", "/provisioning/accounts/" + userId),
                org.assertj.core.groups.Tuple.tuple("DELETE", "/provisioning/welcome/" + userId));
    }

    @Test
    void aFailingNoticeIsRetriedWhileTheLockHolds() {
        modes.put("POST /notices", Mode.FAIL_TWICE);
        String userId = register("eve@example.com");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < 3; i++) {
            assertThat(client.post("/api/users/" + userId + "/logins",
                    "{\"success\":false,\"at\":\"" + t0.plusMillis(i) + "\"}").status()).isEqualTo(202);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> client.get("/api/users/" + userId).status() == 200
                && client.get("/api/users/" + userId).json().get("status").asText().equals("LOCKED"));
        await().atMost(Duration.ofSeconds(20)).until(() -> callsTo("/notices/").size() == 3);
        assertThat(callsTo("/notices/")).extracting(Call::key).containsOnly(callsTo("/notices/").getFirst().key());
        await().atMost(Duration.ofSeconds(20)).until(() ->
                client.get("/api/users/" + userId).json().get("status").asText().equals("ACTIVE"));
    }
}
