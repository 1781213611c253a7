package io.annals.server.http.events;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.EventFilter;
import io.annals.store.EventHandler;
import io.annals.store.EventQuery;
import io.annals.store.EventStore;
import io.annals.store.QueryReader;
import io.annals.store.QuerySubscriptions;
import io.annals.store.ReadDirection;
import io.annals.store.Subscription;
import java.util.List;
import java.util.Optional;

/** What a live event stream follows: the global order (filtered), or one stream. */
public sealed interface Feed {

    /** Starts delivering, from where the client asked, to {@code handler}. */
    Subscription subscribe(EventHandler handler);

    /** The first event the client has not been sent, {@code lastSent} the last it was ({@code null}: none yet). */
    Optional<RecordedEvent> firstUnsent(RecordedEvent lastSent);

    /** The SSE {@code id} of an event: what the client sends back as {@code Last-Event-ID} to resume after it. */
    String idOf(RecordedEvent event);

    /** Every event after a position that matches a filter; ids are positions. */
    record All(EventStore store, Position after, EventFilter filter) implements Feed {

        @Override
        public Subscription subscribe(EventHandler handler) {
            return store.subscribeToAll(after, filter, handler);
        }

        @Override
        public Optional<RecordedEvent> firstUnsent(RecordedEvent lastSent) {
            List<RecordedEvent> next = store.readAll(lastSent == null ? after : lastSent.position(), 1, filter);
            return next.stream().findFirst();
        }

        @Override
        public String idOf(RecordedEvent event) {
            return event.position().toString();
        }
    }

    /** Every event after a position that matches a query; ids are positions. */
    record ByQuery(EventStore store, QuerySubscriptions subscriptions, EventQuery query, Position after) implements Feed {

        @Override
        public Subscription subscribe(EventHandler handler) {
            return subscriptions.subscribeToQuery(query, after, handler);
        }

        @Override
        public Optional<RecordedEvent> firstUnsent(RecordedEvent lastSent) {
            if (!(store instanceof QueryReader reader)) {
                return Optional.empty();
            }
            return reader.read(query, lastSent == null ? after : lastSent.position(), 1).events().stream().findFirst();
        }

        @Override
        public String idOf(RecordedEvent event) {
            return event.position().toString();
        }
    }

    /** The events of one stream after a version; ids are versions. */
    record OneStream(EventStore store, StreamId streamId, long afterVersion) implements Feed {

        @Override
        public Subscription subscribe(EventHandler handler) {
            return store.subscribeToStream(streamId, afterVersion, handler);
        }

        @Override
        public Optional<RecordedEvent> firstUnsent(RecordedEvent lastSent) {
            long from = (lastSent == null ? afterVersion : lastSent.version()) + 1;
            return store.readStream(streamId, from, ReadDirection.FORWARD, 1).stream().findFirst();
        }

        @Override
        public String idOf(RecordedEvent event) {
            return Long.toString(event.version());
        }
    }
}
