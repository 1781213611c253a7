package io.annals.sagas.outbox;

import io.annals.event.StreamId;
import io.annals.sagas.RetryPolicy;
import io.annals.sagas.TestStores;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.postgres.PostgresEventStore;
import io.annals.store.postgres.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Relays of one outbox under the lease shared by the processes of one database: on PostgreSQL
 * two of them, each with a store of its own on one schema, as two nodes would run them; on
 * SQLite one, as its single node does.
 */
class LeasedOutboxRelayTest {

    private static final Duration LEASE = Duration.ofSeconds(1);

    @TempDir
    Path directory;

    private record Delivery(String node, UUID messageId) {
    }

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    private OutboxRelay relay(EventStore store, String node) {
        return unleased(store, node).leased(node, LEASE).build();
    }

    private OutboxRelay.Builder unleased(EventStore store, String node) {
        return OutboxRelay.builder(store, "main")
                .sender("webhook", message -> {
                    if (message.payload().contains("bad")) {
                        throw new IllegalArgumentException("410 Gone");
                    }
                    deliveries.add(new Delivery(node, message.messageId()));
                })
                .retry(new RetryPolicy(2, Duration.ofMillis(1), 2.0, Duration.ofMillis(2)));
    }

    private static List<UUID> record(EventStore store, int count) {
        var messages = IntStream.range(0, count)
                .mapToObj(i -> new OutboxMessage(UUID.randomUUID(), "webhook", "OrderPlaced", "{\"n\":" + i + "}")).toList();
        for (OutboxMessage message : messages) {
            store.append(StreamId.of("order-" + message.messageId()), ExpectedVersion.noStream(), List.of(message.toEventData()));
        }
        return messages.stream().map(OutboxMessage::messageId).toList();
    }

    @Test
    void oneOfTwoRelaysDeliversEachMessageAndTheOtherTakesOverWhenItCloses() {
        TestPostgres postgres = TestPostgres.get();
        String schema = postgres.freshSchema("tworelays");
        try (var storeA = PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).build();
             var storeB = PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).build()) {
            List<UUID> first;
            List<UUID> second;
            try (var b = relay(storeB, "b")) {
                try (var a = relay(storeA, "a").start()) {
                    await().until(a::leading);
                    b.start();
                    first = record(storeA, 20);
                    await().untilAsserted(() -> assertThat(deliveries).hasSize(20));
                    assertThat(deliveries).as("the relay without the lease delivers nothing")
                            .containsExactlyElementsOf(first.stream().map(id -> new Delivery("a", id)).toList());
                    assertThat(b.leading()).isFalse();
                    assertThat(b.backlog()).isZero();
                }
                // a closed relay hands its lease over at once
                await().atMost(LEASE).until(b::leading);
                second = record(storeB, 20);
                await().untilAsserted(() -> assertThat(deliveries).hasSize(40));
                assertThat(deliveries.subList(20, 40)).as("the successor goes on from the checkpoint, each message once")
                        .containsExactlyElementsOf(second.stream().map(id -> new Delivery("b", id)).toList());
                assertThat(b.failure()).isEmpty();
            }
        } finally {
            postgres.dropSchema(schema);
        }
    }

    @Test
    void aLeasedRelayOnSqliteDeliversAloneAndItsSuccessorGoesOnFromItsCheckpoint() {
        try (var opened = TestStores.sqlite(directory)) {
            EventStore store = opened.store();
            List<UUID> first = record(store, 3);
            var refused = new OutboxMessage(UUID.randomUUID(), "webhook", "OrderPlaced", "{\"bad\":true}");
            store.append(StreamId.of("order-refused"), ExpectedVersion.noStream(), List.of(refused.toEventData()));
            try (var relay = relay(store, "only").start()) {
                await().until(() -> relay.deadLetters().size() == 1);
                assertThat(deliveries).extracting(Delivery::messageId).containsExactlyElementsOf(first);
                assertThat(relay.deadLetters()).extracting(OutboxRelay.DeadLetter::message).containsExactly(refused);
                await().until(() -> relay.backlog() == 0);
            }
            List<UUID> second = record(store, 2);
            try (var relay = relay(store, "next").start()) {
                await().untilAsserted(() -> assertThat(deliveries).hasSize(5));
                assertThat(relay.failure()).isEmpty();
            }
            assertThat(deliveries.subList(3, 5)).extracting(Delivery::messageId).containsExactlyElementsOf(second);
        }
    }

    @Test
    void aRelayFirstRunLeasedStartsWhereTheUnleasedOneOfItsNameGotTo() {
        try (var opened = TestStores.sqlite(directory)) {
            EventStore store = opened.store();
            List<UUID> before = record(store, 3);
            try (var relay = unleased(store, "alone").build().start()) {
                await().until(() -> relay.delivered() == 3);
            }
            List<UUID> after = record(store, 2);
            try (var relay = relay(store, "leased").start()) {
                await().untilAsserted(() -> assertThat(deliveries).hasSize(5));
                await().until(() -> relay.backlog() == 0);
            }
            assertThat(deliveries).as("nothing delivered twice").containsExactlyElementsOf(
                    java.util.stream.Stream.concat(before.stream().map(id -> new Delivery("alone", id)),
                            after.stream().map(id -> new Delivery("leased", id))).toList());
        }
    }
}
