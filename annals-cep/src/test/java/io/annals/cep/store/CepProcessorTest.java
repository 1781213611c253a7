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
        var parts = store.readStream(StreamId.of("cepcheckpoint", "twice-1"), io.annals.store.StreamReader.END,
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

    /** The newest checkpoint of a processor, as a restart would load it. */
    Checkpoints.Checkpoint newestCheckpoint(CepProcessor processor) {
        Checkpoints.Checkpoint newest = null;
        for (StreamId stream : processor.checkpointStreams()) {
            var events = store.readStreamForward(stream, 0, 1000);
            if (!events.isEmpty()) {
                var checkpoint = Checkpoints.read(Checkpoints.text(events));
                if (newest == null || checkpoint.sequence() > newest.sequence()) {
                    newest = checkpoint;
                }
            }
        }
        return newest;
    }

    @Test
    void each_checkpoint_stream_keeps_only_its_latest_checkpoint_and_a_restart_takes_the_newest() {
        var definition = PatternText.parseOne("PATTERN Thrice: UserLoginFailed{3} WITHIN 1h PARTITION BY userId SKIP PAST LAST");
        io.annals.event.Position last = null;
        try (var processor = CepProcessor.builder(store, "thrice", definition).filter(EventFilter.streamPrefix("user-"))
                .checkpointEvery(1).start()) {
            for (int i = 0; i < 25; i++) {
                last = append("UserLoginFailed", "u" + (i % 4), i);
            }
            var end = last;
            await().atMost(Duration.ofSeconds(10)).until(() -> processor.position().equals(end));
            for (StreamId stream : processor.checkpointStreams()) {
                assertThat(store.readStreamForward(stream, 0, 1000)).as(stream.value()).hasSize(1);
            }
            assertThat(newestCheckpoint(processor).input()).isEqualTo(end);
            assertThat(newestCheckpoint(processor).sequence()).isEqualTo(24);
            assertThat(written(processor)).hasSize(8);
        }
        try (var restarted = CepProcessor.builder(store, "thrice", definition).filter(EventFilter.streamPrefix("user-"))
                .checkpointEvery(1).start()) {
            // u0 failed at 0, 4, ..., 24: two matches, and the failure at 24 waits for two more
            assertThat(restarted.position()).isEqualTo(last);
            assertThat(restarted.metrics().partialMatches()).isEqualTo(1);
            append("UserLoginFailed", "u0", 28);
            append("UserLoginFailed", "u0", 29);
            await().atMost(Duration.ofSeconds(10)).until(() -> written(restarted).size() == 9);
            assertThat(written(restarted).stream().map(RecordedEvent::eventId).distinct()).hasSize(9);
        }
    }

    @Test
    void a_restart_recognises_the_matches_written_after_the_checkpoint_when_a_checkpoint_falls_due_among_them() {
        var definition = PatternText.parseOne("PATTERN Thrice: UserLoginFailed{3} WITHIN 5m PARTITION BY userId SKIP PAST LAST");
        append("UserLoginFailed", "alice", 0);
        append("UserLoginFailed", "alice", 1);
        var checkpointed = append("UserLoginFailed", "bob", 2);
        var matched = append("UserLoginFailed", "alice", 3);
        // late by the input alone: its handler fails, which stops the processor like a crash, after the
        // match of alice was written and before another checkpoint
        var crash = append("UserLoginFailed", "bob", 0);
        RecordedEvent match;
        try (var processor = CepProcessor.builder(store, "regrouped", definition).filter(EventFilter.streamPrefix("user-"))
                .checkpointEvery(3)
                .onLate(event -> {
                    throw new IllegalStateException("crash");
                })
                .start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> processor.failure().isPresent());
            assertThat(newestCheckpoint(processor).input()).isEqualTo(checkpointed);
            assertThat(written(processor)).hasSize(1);
            match = written(processor).getFirst();
            assertThat(match.metadata().get(MatchEvents.INPUT)).contains(matched.toString());
        }

        // checkpoints now fall due with every event: the replay reaches the match's input with one due
        try (var restarted = CepProcessor.builder(store, "regrouped", definition).filter(EventFilter.streamPrefix("user-"))
                .checkpointEvery(1).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> restarted.position().equals(crash) || restarted.failure().isPresent());
            assertThat(restarted.failure()).isEmpty();
            assertThat(written(restarted)).containsExactly(match);
            // the checkpoint due at the match's input was written alone, naming the output's end
            var checkpoint = newestCheckpoint(restarted);
            assertThat(checkpoint.input()).isEqualTo(crash);
            assertThat(checkpoint.outputVersion()).isEqualTo(match.version());

            var more = append("UserLoginFailed", "alice", 10);
            append("UserLoginFailed", "alice", 11);
            append("UserLoginFailed", "alice", 12);
            await().atMost(Duration.ofSeconds(10)).until(() -> written(restarted).size() == 2 || restarted.failure().isPresent());
            assertThat(restarted.failure()).isEmpty();
            assertThat(written(restarted).getLast().data()).contains(more.toString());
        }
    }

    @Test
    void a_second_processor_of_the_same_name_fails_instead_of_interleaving_its_writes() {
        var definition = PatternText.parseOne("PATTERN Thrice: UserLoginFailed{3} WITHIN 1h PARTITION BY userId");
        try (var first = CepProcessor.builder(store, "twin", definition).filter(EventFilter.streamPrefix("user-"))
                .checkpointEvery(1).start()) {
            var before = append("UserLoginFailed", "alice", 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> first.position().equals(before));
            var second = CepProcessor.builder(store, "twin", definition).filter(EventFilter.streamPrefix("user-"))
                    .checkpointEvery(1).start();
            try {
                append("UserLoginFailed", "alice", 1);
                append("UserLoginFailed", "alice", 2);
                await().atMost(Duration.ofSeconds(10)).until(() -> first.failure().isPresent() || second.failure().isPresent());
                var failure = first.failure().or(second::failure).orElseThrow();
                assertThat(failure).isInstanceOf(io.annals.store.WrongExpectedVersionException.class);
                assertThat(written(first).stream().map(RecordedEvent::eventId).distinct().count())
                        .isEqualTo(written(first).size());
            } finally {
                second.close();
            }
        }
    }

    @Test
    void an_absence_the_clock_reports_is_written_in_one_append_with_a_checkpoint() {
        var definition = PatternText.parseOne(
                "PATTERN Unconfirmed: UserRegistered -> NOT EmailConfirmed WITHIN 10m PARTITION BY userId");
        var clock = new MovableClock();
        try (var processor = CepProcessor.builder(store, "absent", definition)
                .filter(EventFilter.streamPrefix("user-"))
                .clock(clock)
                .checkpointEvery(1000)
                .tick(Duration.ofMillis(10))
                .start()) {
            var registered = append("UserRegistered", "alice", 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> processor.position().equals(registered));
            assertThat(newestCheckpoint(processor)).isNull();

            clock.millis.set(T0.plusSeconds(601).toEpochMilli());
            await().atMost(Duration.ofSeconds(10)).until(() -> written(processor).size() == 1);
            var checkpoint = newestCheckpoint(processor);
            assertThat(checkpoint).isNotNull();
            assertThat(checkpoint.outputVersion()).isEqualTo(written(processor).getFirst().version());
            assertThat(checkpoint.input()).isEqualTo(registered);
            assertThat(checkpoint.state().partitions()).isEmpty();
            // the match and its checkpoint were committed together
            assertThat(store.readStreamForward(processor.checkpointStreams().getFirst(), 0, 10).getFirst().position().transaction())
                    .isEqualTo(written(processor).getFirst().position().transaction());
        }
    }

    @Test
    void an_event_that_only_the_clock_made_late_is_checkpointed_at_once() {
        var definition = PatternText.parseOne("PATTERN Twice: UserLoginFailed{2} WITHIN 5m PARTITION BY userId");
        var clock = new MovableClock();
        var late = new ArrayList<RecordedEvent>();
        try (var processor = CepProcessor.builder(store, "clocklate", definition)
                .filter(EventFilter.streamPrefix("user-"))
                .clock(clock)
                .allowedLateness(Duration.ofSeconds(30))
                .checkpointEvery(1000)
                .tick(Duration.ofMillis(10))
                .onLate(late::add)
                .start()) {
            var first = append("UserLoginFailed", "alice", 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> processor.position().equals(first));
            clock.millis.set(T0.plusSeconds(600).toEpochMilli());
            await().atMost(Duration.ofSeconds(10)).until(() -> processor.metrics().watermark() == T0.plusSeconds(570).toEpochMilli());
            assertThat(newestCheckpoint(processor)).isNull();

            // by the input alone the watermark is at -30 s: only the clock's move makes this event late
            var second = append("UserLoginFailed", "alice", 60);
            await().atMost(Duration.ofSeconds(10)).until(() -> late.size() == 1);
            var checkpoint = newestCheckpoint(processor);
            assertThat(checkpoint).isNotNull();
            assertThat(checkpoint.input()).isEqualTo(second);
            assertThat(checkpoint.state().counters().lateEvents()).isEqualTo(1);
            assertThat(checkpoint.state().watermark()).isEqualTo(T0.plusSeconds(570).toEpochMilli());
            assertThat(written(processor)).isEmpty();
        }
    }

    @Test
    void a_processor_reads_past_its_own_streams_even_when_it_reads_every_stream() {
        var definition = PatternText.parseOne("PATTERN Thrice: UserLoginFailed{3} WITHIN 1h PARTITION BY userId");
        try (var processor = CepProcessor.builder(store, "everything", definition).checkpointEvery(1).start()) {
            io.annals.event.Position last = null;
            for (int i = 0; i < 3; i++) {
                last = append("UserLoginFailed", "alice", i);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> written(processor).size() == 1);
            var own = store.readAll(io.annals.event.Position.START, 1000).getLast().position();
            await().atMost(Duration.ofSeconds(10)).until(() -> processor.position().equals(own));
            assertThat(processor.metrics().events()).isEqualTo(3);
            assertThat(own).isNotEqualTo(last);
        }
    }
}
