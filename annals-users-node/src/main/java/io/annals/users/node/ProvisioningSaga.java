package io.annals.users.node;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.examples.user.UserEvent.UserRegistered;
import io.annals.examples.user.UserModule;
import io.annals.sagas.CheckpointStore;
import io.annals.sagas.RetryPolicy;
import io.annals.sagas.SagaDefinition;
import io.annals.sagas.SagaEngine;
import io.annals.sagas.Step;
import io.annals.sagas.StepCall;
import io.annals.serialization.EventSerializer;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.Subscription;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The user example's orchestrated saga: a new user is set up in an outside service over HTTP,
 * first an account ({@code PUT <url>/accounts/<userId>}), then a welcome message
 * ({@code PUT <url>/welcome/<userId>}); when a step fails for good, what was done is undone
 * ({@code DELETE} of the same resources), the last first. Every call carries the step's
 * {@code Idempotency-Key}, so that the service can drop a repeat. A subscription to
 * {@code UserRegistered}, from its own checkpoint, starts one instance per user
 * ({@code provision-<userId>}); starting one twice changes nothing.
 */
final class ProvisioningSaga implements AutoCloseable {

    static final String NAME = "provision-user";
    private static final String CHECKPOINT = "users.provisioning";
    private static final RetryPolicy RETRY = RetryPolicy.exponential(3, Duration.ofMillis(200), Duration.ofSeconds(2));

    /** The saga's input. */
    record NewUser(String userId, String email, String name) {
    }

    private final EventStore store;
    private final URI service;
    private final HttpClient http;
    private final EventSerializer serializer;
    private final CheckpointStore checkpoints;
    private final SagaDefinition<NewUser> definition;
    private final Duration timeout;
    private volatile Subscription subscription;

    ProvisioningSaga(EventStore store, URI service, Duration timeout, HttpClient http, EventSerializer serializer,
                     CheckpointStore checkpoints) {
        this.store = store;
        this.service = service;
        this.http = http;
        this.serializer = serializer;
        this.checkpoints = checkpoints;
        this.timeout = timeout;
        this.definition = SagaDefinition.of(NAME, NewUser.class,
                step("account", "accounts", timeout), step("welcome", "welcome", timeout));
    }

    SagaDefinition<NewUser> definition() {
        return definition;
    }

    private Step<NewUser> step(String name, String resource, Duration timeout) {
        return Step.<NewUser>of(name,
                        (user, call) -> call("PUT", resource, user, call),
                        (user, call) -> call("DELETE", resource, user, call))
                .withRetry(RETRY).withCompensationRetry(RETRY).withTimeout(timeout);
    }

    private String call(String method, String resource, NewUser user, StepCall call) throws Exception {
        byte[] body = serializer.toJson(user).getBytes(StandardCharsets.UTF_8);
        var request = HttpRequest.newBuilder(service.resolve(resource + "/" + user.userId()))
                .header("Idempotency-Key", call.idempotencyKey())
                .header("Content-Type", "application/json")
                // the step's own timeout interrupts the try; this one also ends the exchange
                .timeout(timeout)
                .method(method, "DELETE".equals(method) ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        // a resource that is already gone has been undone
        if (response.statusCode() / 100 == 2 || ("DELETE".equals(method) && response.statusCode() == 404)) {
            return response.body();
        }
        throw new IllegalStateException(method + " " + resource + " answered " + response.statusCode());
    }

    /** Starts an instance for every registration from the checkpoint on. */
    void start(SagaEngine running) {
        Position from = checkpoints.load(CHECKPOINT).orElse(Position.START);
        subscription = store.subscribeToAll(from, new EventFilter(Set.of("UserRegistered"), UserModule.CATEGORY + "-"), 64,
                events -> {
                    for (RecordedEvent event : events) {
                        UserRegistered registered = (UserRegistered) serializer.deserialize(event);
                        running.start(definition, "provision-" + registered.userId(),
                                new NewUser(registered.userId(), registered.email(), registered.name()));
                    }
                    checkpoints.save(CHECKPOINT, events.getLast().position());
                });
    }

    Optional<Throwable> failure() {
        return subscription == null ? Optional.empty() : subscription.failure();
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
