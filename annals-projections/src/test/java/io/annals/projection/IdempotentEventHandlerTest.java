package io.annals.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annals.event.RecordedEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Side effects run once per event id, remembered across restarts and rebuilds, forgotten after the retention. */
class IdempotentEventHandlerTest {

    @TempDir
    Path directory;

    private StoreUnderTest target;

    private StoreUnderTest open(String kind) {
        target = kind.equals("sqlite") ? StoreUnderTest.sqlite(directory) : StoreUnderTest.postgres("idempotent");
        return target;
    }

    @AfterEach
    void close() {
        if (target != null) {
            target.close();
        }
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void anEventIsHandledOnceEvenByANewHandlerAndAFailedEffectIsTriedAgain(String kind) {
        var store = open(kind);
        store.add("order-1", 5);
        RecordedEvent event = store.all().getFirst();
        var sent = new CopyOnWriteArrayList<String>();
        var fail = new AtomicBoolean(true);
        IdempotentEventHandler.Effect effect = (e, connection) -> {
            if (fail.getAndSet(false)) {
                throw new java.io.IOException("mail server down");
            }
            sent.add(e.eventId().toString());
        };
        var handler = new IdempotentEventHandler(store.store, "mailer", Duration.ofDays(7), effect);
        assertThatThrownBy(() -> handler.handle(event)).hasMessageContaining("mail server down");
        assertThat(handler.processed(event.eventId())).isFalse();

        assertThat(handler.handle(event)).isTrue();
        assertThat(handler.handle(event)).isFalse();
        var restarted = new IdempotentEventHandler(store.store, "mailer", Duration.ofDays(7), effect);
        assertThat(restarted.handle(event)).isFalse();
        assertThat(sent).containsExactly(event.eventId().toString());
        var otherConsumer = new IdempotentEventHandler(store.store, "auditor", Duration.ofDays(7), effect);
        assertThat(otherConsumer.handle(event)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void recordsOlderThanTheRetentionAreDeleted(String kind) {
        var store = open(kind);
        store.add("order-1", 5);
        store.add("order-1", 6);
        List<RecordedEvent> events = store.all();
        var clock = new MovableClock();
        var handler = new IdempotentEventHandler(store.store, "mailer", Duration.ofHours(1), (e, c) -> { }, clock);
        handler.handle(events.get(0));
        clock.now = clock.now.plus(Duration.ofMinutes(50));
        handler.handle(events.get(1));
        clock.now = clock.now.plus(Duration.ofMinutes(20));

        assertThat(handler.purge()).isEqualTo(1);
        assertThat(handler.processed(events.get(0).eventId())).isFalse();
        assertThat(handler.processed(events.get(1).eventId())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void asAProjectionItsEffectsDoNotRunAgainWhenTheProjectionIsRebuilt(String kind) {
        var store = open(kind);
        for (int i = 0; i < 5; i++) {
            store.add("order-" + i, i);
        }
        var sent = new CopyOnWriteArrayList<String>();
        var handler = new IdempotentEventHandler(store.store, "mailer", Duration.ofDays(7),
                (e, c) -> sent.add(e.streamId().value()));
        try (var runtime = ProjectionRuntime.builder(store.store).build()) {
            runtime.register(handler.asProjection(Selection.ALL), ProjectionOptions.DEFAULTS.withPartitions(2));
            runtime.start();
            await().until(() -> sent.size() == 5);
            runtime.rebuild("mailer");
            await().until(() -> runtime.status("mailer").orElseThrow().rebuild().isEmpty()
                    && runtime.status("mailer").orElseThrow().state() == ProjectionState.LIVE);
            store.add("order-9", 9);
            await().until(() -> sent.size() == 6);
            assertThat(sent).doesNotHaveDuplicates();
        }
    }
}
