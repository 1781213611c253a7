package io.annals.kafka;

import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.event.Position;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Events of a few streams in two categories, with every kind of metadata, appended round-robin. */
final class StoreEvents {

    private StoreEvents() {
    }

    static void append(EventStore store, int streamsPerCategory, int eventsPerStream) {
        for (int round = 0; round < eventsPerStream; round++) {
            for (int s = 0; s < streamsPerCategory; s++) {
                for (String category : List.of("order", "user")) {
                    var stream = StreamId.of(category, s);
                    var metadata = new Metadata(Map.of(Metadata.CORRELATION_ID, "corr-" + s,
                            Metadata.CAUSATION_ID, "cause-" + round, "tenant", "t" + (s % 2)));
                    var event = new EventData(UUID.randomUUID(), category + "Changed",
                            "{\"stream\":\"" + stream + "\",\"round\":" + round + ",\"text\":\"a \\\"quoted\\\" é\"}",
                            metadata, Instant.parse("2026-01-02T03:04:05.123456Z").plusSeconds(round),
                            round % 2 == 0 ? Set.of(Tag.of("round", "r" + round), Tag.of("note", "a,b:c")) : Set.of());
                    store.append(stream, ExpectedVersion.any(), List.of(event));
                }
            }
        }
    }

    static List<RecordedEvent> all(EventStore store) {
        var events = new ArrayList<RecordedEvent>();
        Position after = Position.START;
        while (true) {
            List<RecordedEvent> page = store.readAll(after, 1_000);
            if (page.isEmpty()) {
                return events;
            }
            events.addAll(page);
            after = page.getLast().position();
        }
    }
}
