package io.annals.sagas.outbox;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.StreamId;
import io.annals.sagas.CheckpointStore;
import io.annals.sagas.RetryPolicy;
import io.annals.sagas.StreamCheckpointStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.WrongExpectedVersionException;
import io.annals.sagas.TestStores;
import io.annals.store.EventStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

abstract class OutboxRelayTest {

    abstract TestStores.Opened open();


    private final TestStores.Opened opened = open();
    private final EventStore store = opened.store();
    private final List<OutboxMessage> received = new CopyOnWriteArrayList<>();
    private final StreamId order = StreamId.of("order-1");

    @AfterEach
    void closeStore() {
        opened.close();
    }

    private OutboxMessage webhook(String payload) {
        return new OutboxMessage(UUID.randomUUID(), "webhook", "OrderPlaced", payload);
    }

    @Test
    void aMessageIsRecordedWithItsDecisionOrNotAtAll() {
        var first = webhook("{\"n\":1}");
        var lost = webhook("{\"n\":2}");
        var second = webhook("{\"n\":3}");
        store.append(order, ExpectedVersion.noStream(), List.of(EventData.of("OrderPlaced", "{}"), first.toEventData()));
        // a decision on a stale version is refused, and its message with it
        assertThatThrownBy(() -> store.append(order, ExpectedVersion.exact(0),
                List.of(EventData.of("OrderPaid", "{}"), lost.toEventData())))
                .isInstanceOf(WrongExpectedVersionException.class);
        store.append(order, ExpectedVersion.exact(1), List.of(EventData.of("OrderPaid", "{}"), second.toEventData()));

        try (var relay = OutboxRelay.builder(store, "main").sender("webhook", received::add).build().start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.delivered() == 2);
        }
        assertThat(received).containsExactly(first, second);
    }

    @Test
    void aCrashBetweenDeliveryAndCheckpointDeliversAgainUnderTheSameId() {
        var message = webhook("{}");
        store.append(order, ExpectedVersion.noStream(), List.of(message.toEventData()));
        var checkpoints = new StreamCheckpointStore(store);
        var failOnce = new AtomicBoolean(true);
        CheckpointStore crashing = new CheckpointStore() {
            @Override
            public Optional<Position> load(String consumer) {
                return checkpoints.load(consumer);
            }

            @Override
            public void save(String consumer, Position position) {
                if (failOnce.getAndSet(false)) {
                    throw new IllegalStateException("the process died here");
                }
                checkpoints.save(consumer, position);
            }
        };
        try (var relay = OutboxRelay.builder(store, "main").sender("webhook", received::add).checkpoints(crashing).build().start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.failure().isPresent());
        }
        try (var relay = OutboxRelay.builder(store, "main").sender("webhook", received::add).checkpoints(crashing).build().start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.delivered() == 1);
        }
        var next = webhook("{\"after\":true}");
        store.append(order, ExpectedVersion.exact(0), List.of(next.toEventData()));
        try (var relay = OutboxRelay.builder(store, "main").sender("webhook", received::add).build().start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.delivered() == 1);
        }
        // at least once: the receiver drops the repeat by its id
        assertThat(received).extracting(OutboxMessage::messageId)
                .containsExactly(message.messageId(), message.messageId(), next.messageId());
    }

    @Test
    void aMessageThatFailsAllItsTriesIsDeadLetteredAndTheRelayGoesOn() {
        var refused = webhook("{\"bad\":true}");
        var unroutable = new OutboxMessage(UUID.randomUUID(), "fax", "Hello", "{}");
        var fine = webhook("{\"good\":true}");
        store.append(order, ExpectedVersion.noStream(), List.of(refused.toEventData(), unroutable.toEventData(), fine.toEventData()));
        var tries = new CopyOnWriteArrayList<UUID>();
        try (var relay = OutboxRelay.builder(store, "main")
                .sender("webhook", message -> {
                    tries.add(message.messageId());
                    if (message.payload().contains("bad")) {
                        throw new IllegalArgumentException("410 Gone");
                    }
                    received.add(message);
                })
                .retry(new RetryPolicy(3, Duration.ofMillis(1), 2.0, Duration.ofMillis(4)))
                .build().start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.delivered() == 1);
            assertThat(received).containsExactly(fine);
            assertThat(tries).containsExactly(refused.messageId(), refused.messageId(), refused.messageId(), fine.messageId());
            assertThat(relay.deadLetters()).extracting(OutboxRelay.DeadLetter::message, OutboxRelay.DeadLetter::error)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(refused, "IllegalArgumentException: 410 Gone"),
                            org.assertj.core.groups.Tuple.tuple(unroutable, "no sender for destination fax"));
        }
    }

    @Test
    void refusesNamesThatCannotNameItsStream() {
        assertThatThrownBy(() -> OutboxRelay.builder(store, "no spaces")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutboxRelay.builder(store, "x").sender("a", received::add).sender("a", received::add))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two senders");
    }
}
