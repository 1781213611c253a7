package io.annals.tck;

import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.store.DeleteMode;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.StreamDeletedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * A seeded history of appends, soft deletes and hard deletes over a few streams, with data,
 * metadata and occurred times of many shapes: the same seed gives the same calls.
 */
public final class StoreHistory {

    private StoreHistory() {
    }

    /**
     * Writes the history into {@code store}.
     *
     * @param nanoseconds whether occurred times have nanoseconds (never exactly half a microsecond,
     *                    so that rounding to the microsecond has one answer); else whole microseconds
     * @param tags        whether some events carry tags
     * @return every stream the history named, written or not
     */
    public static List<StreamId> write(EventStore store, Random random, boolean nanoseconds, boolean tags) {
        var streams = new ArrayList<StreamId>();
        for (int s = 0; s < 8; s++) {
            streams.add(StreamId.of("h" + s + "-" + Integer.toHexString(random.nextInt(1 << 16))));
        }
        for (int step = 0; step < 60; step++) {
            StreamId stream = streams.get(random.nextInt(streams.size()));
            int kind = random.nextInt(20);
            try {
                if (kind < 15) {
                    store.append(stream, ExpectedVersion.any(), events(random, nanoseconds, tags));
                } else if (kind < 19) {
                    store.delete(stream, ExpectedVersion.any(), DeleteMode.SOFT);
                } else {
                    store.delete(stream, ExpectedVersion.any(), DeleteMode.HARD);
                }
            } catch (StreamDeletedException e) {
                // a tombstoned stream refuses everything; the history goes on
            }
        }
        return streams;
    }

    private static List<EventData> events(Random random, boolean nanoseconds, boolean tagged) {
        var events = new ArrayList<EventData>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            String text = List.of("plain", "quote\\\"s", "tab\\there", "ü ß €", "slash\\\\", "\\u00e9").get(random.nextInt(6));
            String data = random.nextBoolean()
                    ? "{\"n\":" + random.nextInt(1000) + ",\"text\":\"" + text + "\",\"list\":[1.50,true,null]}"
                    : "[" + random.nextInt(10) + ",{\"nested\":{\"deep\":\"" + text + "\"}}]";
            Metadata metadata = random.nextBoolean() ? Metadata.EMPTY
                    : new Metadata(Map.of(Metadata.CORRELATION_ID, "c-" + random.nextInt(5), "k\"ey", "v\\al"));
            Instant occurred = null;
            if (random.nextBoolean()) {
                long nanos = random.nextInt(1_000_000) * 1_000L;
                if (nanoseconds) {
                    int below = random.nextInt(999);
                    nanos += below >= 500 ? below + 1 : below;
                }
                occurred = Instant.ofEpochSecond(1_600_000_000L + random.nextInt(100_000_000), nanos);
            }
            var tags = new ArrayList<Tag>();
            for (int t = tagged ? random.nextInt(3) : 0; t > 0; t--) {
                tags.add(Tag.of(List.of("user", "course", "e.mail").get(random.nextInt(3)), "v:" + random.nextInt(4) + " ü"));
            }
            events.add(new EventData(UUID.randomUUID(), "Type" + random.nextInt(3), data, metadata, occurred, Set.copyOf(tags)));
        }
        return events;
    }
}
