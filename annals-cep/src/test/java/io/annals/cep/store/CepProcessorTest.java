package io.annals.cep.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.cep.text.PatternText;
import io.annals.event.EventData;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.EventFilter;
import io.annals.store.ExpectedVersion;
import io.annals.store.inmemory.InMemoryEventStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CepProcessorTest {

    static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    final InMemoryEventStore store = new InMemoryEventStore();

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        final AtomicLong millis = new AtomicLong(T0.toEpochMilli());

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    io.annals.event.Position append(String type, String user, int seconds) {
        return store.append(StreamId.of("user", user), ExpectedVersion.any(),
                List.of(EventData.of(type, "{\"userId\":\"" + user + "\"}").withOccurredAt(T0.plusSeconds(seconds)))).position();
    }

    List<RecordedEvent> written(CepProcessor processor) {
        return store.readStreamForward(processor.outputStream(), 0, 1000);
    }

    @Test
    void matches_become_events_with_the_pattern_the_key_and_the_matched_events() throws Exception {
        var definition = PatternText.parseOne(
                "PATTERN SuspiciousUserActivity: UserLoginFailed{3} WITHIN 5m PARTITION BY userId SKIP PAST LAST");
        try (var processor = CepProcessor.builder(store, "suspicious", definition).filter(EventFilter.streamPrefix("user-")).start()) {
            for (int i = 0; i < 3; i++) {
                append("UserLoginFailed", "alice", i * 60);
            }
            append("UserLoginFailed", "bob", 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> written(processor).size() == 1);

            RecordedEvent alert = written(processor).getFirst();
            assertThat(alert.type()).isEqualTo("SuspiciousUserActivityDetected");
            assertThat(alert.metadata().get(MatchEvents.KEY)).contains("alice");
            assertThat(alert.metadata().get(MatchEvents.PATTERN)).contains("SuspiciousUserActivity");
            assertThat(alert.occurredAt()).isEqualTo(T0.plusSeconds(120));
            assertThat(alert.tags()).containsExactlyInAnyOrder(io.annals.event.Tag.of("cep-pattern", "SuspiciousUserActivity"),
                    io.annals.event.Tag.of("userId", "alice"));
            var data = new ObjectMapper().readTree(alert.data());
            assertThat(data.get("events")).hasSize(3);
            assertThat(data.get("events").get(0).get("type").asText()).isEqualTo("UserLoginFailed");
        }
    }

    @Test
    void a_checkpoint_larger_than_one_event_is_split_and_restored_whole() {
        var definition = PatternText.parseOne("PATTERN Twice: UserLoginFailed{3} WITHIN 1h PARTITION BY userId");
        int users = 20_000;
        try (var processor = CepProcessor.builder(store, "twice", definition).filter(EventFilter.streamPrefix("user-"))
                .checkpointEvery(users).start()) {
            var batch = new ArrayList<EventData>();
            for (int user = 0; user < users; user++) {
                batch.add(EventData.of("UserLoginFailed", "{\"userId\":\"u" + user + "\"}").withOccurredAt(T0));
                if (batch.size() == 1000) {
                    store.append(StreamId.of("user", "many"), ExpectedVersion.any(), List.copyOf(batch));
                    batch.clear();
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> processor.metrics().partialMatches() == users);
        }
        var parts = store.readStream(StreamId.of("cepcheckpoint", "twice"), io.annals.store.StreamReader.END,
                io.annals.store.ReadDirection.BACKWARD, 1);
        assertThat(Checkpoints.parts(parts.getFirst())).isGreaterThan(1);

        try (var restarted = CepProcessor.builder(store, "twice", definition).filter(EventFilter.streamPrefix("user-")).start()) {
            assertThat(restarted.metrics().partialMatches()).isEqualTo(users);
            append("UserLoginFailed", "u7", 1);
            append("UserLoginFailed", "u7", 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> written(restarted).size() == 1);
            assertThat(written(restarted).getFirst().metadata().get(MatchEvents.KEY)).contains("u7");
        }
    }

    @Test
    void the_clock_reports_an_absence_when_no_further_event_arrives() {
        var definition = PatternText.parseOne(
                "PATTERN Unconfirmed: UserRegistered -> NOT EmailConfirmed WITHIN 10m PARTITION BY userId");
        var clock = new MovableClock();
        var late = new ArrayList<RecordedEvent>();
        try (var processor = CepProcessor.builder(store, "unconfirmed", definition)
                .filter(EventFilter.streamPrefix("user-"))
                .clock(clock)
                .allowedLateness(Duration.ofSeconds(30))
                .tick(Duration.ofMillis(10))
                .onLate(late::add)
                .start()) {
            append("UserRegistered", "alice", 0);
            append("UserRegistered", "bob", 1);
            var last = append("EmailConfirmed", "bob", 120);
            await().atMost(Duration.ofSeconds(10)).until(() -> processor.position().equals(last));
            assertThat(written(processor)).isEmpty();

            // the window of alice's registration ends at 600 s; the watermark must pass it
            clock.millis.set(T0.plusSeconds(630).toEpochMilli());
            await().atMost(Duration.ofSeconds(10)).until(() -> processor.metrics().watermark() == T0.plusSeconds(600).toEpochMilli());
            assertThat(written(processor)).isEmpty();
            clock.millis.set(T0.plusSeconds(631).toEpochMilli());
            await().atMost(Duration.ofSeconds(10)).until(() -> written(processor).size() == 1);
            assertThat(written(processor).getFirst().metadata().get(MatchEvents.KEY)).contains("alice");
            assertThat(processor.metrics().keys()).isZero();

            append("EmailConfirmed", "alice", 300);
            await().atMost(Duration.ofSeconds(10)).until(() -> late.size() == 1);
            assertThat(processor.metrics().lateEvents()).isEqualTo(1);
            assertThat(written(processor)).hasSize(1);
        }
    }
}
