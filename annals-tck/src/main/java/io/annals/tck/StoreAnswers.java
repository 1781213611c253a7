package io.annals.tck;

import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.store.EventFilter;
import io.annals.store.EventQuery;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.QueryItem;
import io.annals.store.QueryRead;
import io.annals.store.QueryReader;
import io.annals.store.ReadDirection;
import io.annals.store.StreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Every answer a store gives to reads, with the store's own positions left out: two stores with
 * equal answers cannot be told apart by a reader. Used to hold a restored store to the original.
 *
 * @param all     the whole global order, then reads after a few places in it and filtered reads
 * @param queries reads by each tag and each type, when the store reads by query (else empty)
 * @param streams per stream: its state and reads forward and backward, whole and in part
 */
public record StoreAnswers(List<Object> all, List<Object> queries, Map<StreamId, List<Object>> streams) {

    /** An event as a reader sees it, without its position; times as {@code times} gives them. */
    public record Seen(UUID eventId, StreamId streamId, long version, String type, String data, Metadata metadata,
                       Instant recordedAt, Instant occurredAt, Set<Tag> tags) {

        static Seen of(RecordedEvent event, UnaryOperator<Instant> times) {
            return new Seen(event.eventId(), event.streamId(), event.version(), event.type(), event.data(),
                    event.metadata(), times.apply(event.recordedAt()), times.apply(event.occurredAt()), event.tags());
        }
    }

    /** What a call threw instead of answering. */
    public record Refused(String exception) {
    }

    /** Small, so that reads of all events page several times. */
    private static final int PAGE = 7;

    /**
     * The answers of {@code store} about {@code streams} (and every stream its events name).
     *
     * @param times how to compare instants: as they are, or at the coarser precision of one of the stores compared
     */
    public static StoreAnswers of(EventStore store, Collection<StreamId> streams, UnaryOperator<Instant> times) {
        List<RecordedEvent> events = readAll(store, Position.START, EventFilter.ALL, PAGE);
        var all = new ArrayList<Object>();
        all.add(seen(events, times));
        for (int k = 0; k < events.size(); k += Math.max(1, events.size() / 5)) {
            all.add(seen(store.readAll(events.get(k).position(), 3), times));
        }
        var ids = new TreeSet<>(streams);
        var types = new TreeSet<String>();
        var tags = new TreeSet<Tag>();
        for (RecordedEvent event : events) {
            ids.add(event.streamId());
            types.add(event.type());
            tags.addAll(event.tags());
        }
        var queries = new ArrayList<Object>();
        if (store instanceof QueryReader reader) {
            for (Tag tag : tags) {
                queries.add(seen(query(reader, EventQuery.tagged(tag)), times));
            }
            for (String type : types) {
                queries.add(seen(query(reader, EventQuery.of(QueryItem.ofTypes(type))), times));
            }
        }
        for (String type : types) {
            all.add(seen(readAll(store, Position.START, EventFilter.eventTypes(type), PAGE), times));
        }
        for (StreamId id : ids) {
            all.add(seen(readAll(store, Position.START, EventFilter.streamPrefix(id.value()), PAGE), times));
        }
        var perStream = new LinkedHashMap<StreamId, List<Object>>();
        for (StreamId id : ids) {
            var answers = new ArrayList<>();
            answers.add(answer(() -> store.streamState(id)));
            answers.add(answer(() -> seen(store.readStream(id, 0, ReadDirection.FORWARD, 10_000), times)));
            answers.add(answer(() -> seen(store.readStream(id, 1, ReadDirection.FORWARD, 2), times)));
            answers.add(answer(() -> seen(store.readStream(id, StreamReader.END, ReadDirection.BACKWARD, 10_000), times)));
            answers.add(answer(() -> seen(store.readStream(id, 1, ReadDirection.BACKWARD, 2), times)));
            perStream.put(id, answers);
        }
        return new StoreAnswers(all, queries, perStream);
    }

    /**
     * What appending to each stream answers now: each stream is written to once with
     * {@code no-stream} and once with {@code any}, with event ids that depend only on the stream,
     * so two stores given the same calls must answer alike. Changes the store.
     */
    public static Map<StreamId, List<Object>> afterWrites(EventStore store, Collection<StreamId> streams) {
        var answers = new LinkedHashMap<StreamId, List<Object>>();
        for (StreamId id : new TreeSet<>(streams)) {
            var written = new ArrayList<>();
            int n = 0;
            for (ExpectedVersion expected : List.of(ExpectedVersion.noStream(), ExpectedVersion.any())) {
                UUID eventId = UUID.nameUUIDFromBytes((id.value() + "/" + n++).getBytes(StandardCharsets.UTF_8));
                written.add(answer(() -> store.append(id, expected,
                        List.of(new EventData(eventId, "Written", "{}", Metadata.EMPTY, null))).nextExpectedVersion()));
            }
            written.add(answer(() -> store.streamState(id)));
            answers.put(id, written);
        }
        return answers;
    }

    /** Every event from {@code after} on, in pages of {@code pageSize}. */
    public static List<RecordedEvent> readAll(EventStore store, Position after, EventFilter filter, int pageSize) {
        var events = new ArrayList<RecordedEvent>();
        List<RecordedEvent> page;
        while (!(page = store.readAll(after, pageSize, filter)).isEmpty()) {
            events.addAll(page);
            after = page.getLast().position();
        }
        return events;
    }

    /** Every event the query matches, page by page. */
    private static List<RecordedEvent> query(QueryReader store, EventQuery query) {
        var events = new ArrayList<RecordedEvent>();
        Position after = Position.START;
        QueryRead page;
        do {
            page = store.read(query, after, PAGE);
            events.addAll(page.events());
            after = page.scannedTo();
        } while (page.events().size() == PAGE);
        return events;
    }

    private static List<Seen> seen(List<RecordedEvent> events, UnaryOperator<Instant> times) {
        return events.stream().map(event -> Seen.of(event, times)).toList();
    }

    private static Object answer(Supplier<?> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return new Refused(e.getClass().getSimpleName());
        }
    }
}
