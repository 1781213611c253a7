package io.annals.server.http.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.StreamId;
import io.annals.store.AppendLimits;
import io.annals.store.EventFilter;
import io.annals.store.ExpectedVersion;
import io.annals.store.inmemory.InMemoryEventStore;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lag is how far behind the head a client is, not how old the history it replays is (issue 12, item 3). */
class EventStreamSessionLagTest {

    private static final Instant CONNECTED = Instant.parse("2026-03-01T12:00:00Z");

    /** A session that has sent nothing yet of {@code store}'s events: as it is while it replays history. */
    private static EventStreamSession session(InMemoryEventStore store) {
        var session = new EventStreamSession(OutputStream.nullOutputStream(), Duration.ofSeconds(15), () -> false, CONNECTED);
        session.follow(new Feed.All(store, Position.START, EventFilter.ALL));
        return session;
    }

    private static InMemoryEventStore storeRecordingAt(Instant at) {
        return new InMemoryEventStore(AppendLimits.DEFAULT, Clock.fixed(at, ZoneOffset.UTC));
    }

    @Test
    void aClientThatHasBeenSentEverythingHasNoLag() {
        try (var store = storeRecordingAt(CONNECTED)) {
            assertThat(session(store).lag(CONNECTED.plusSeconds(30))).isZero();
        }
    }

    @Test
    void oldHistoryStillToReplayCountsOnlyFromWhenTheClientConnected() {
        try (var store = storeRecordingAt(Instant.parse("2020-01-01T00:00:00Z"))) {
            store.append(StreamId.of("old-1"), ExpectedVersion.any(), List.of(EventData.of("A", "{}")));

            assertThat(session(store).lag(CONNECTED.plusSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        }
    }

    @Test
    void anEventRecordedAfterTheClientConnectedCountsFromItsRecording() {
        try (var store = storeRecordingAt(CONNECTED.plusSeconds(10))) {
            store.append(StreamId.of("new-1"), ExpectedVersion.any(), List.of(EventData.of("A", "{}")));

            assertThat(session(store).lag(CONNECTED.plusSeconds(12))).isEqualTo(Duration.ofSeconds(2));
            assertThat(session(store).lag(CONNECTED.plusSeconds(5))).isZero();
        }
    }
}
