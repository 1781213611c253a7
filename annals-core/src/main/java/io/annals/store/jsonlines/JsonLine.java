package io.annals.store.jsonlines;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.event.EventData;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.DeleteMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** One line of the JSON lines format (see {@code docs/json-lines-format.md}): an event or a deletion. */
public sealed interface JsonLine {

    /** The line's number in its file, from 1. */
    long number();

    StreamId streamId();

    /**
     * A recorded event, to be stored at {@code version} of its stream with its id and times.
     *
     * @param event its id, type, data, metadata and occurred time (never null: the recorded time when the line has none)
     */
    record Event(long number, StreamId streamId, long version, EventData event, Instant recordedAt) implements JsonLine {

        private static final ObjectMapper JSON = new ObjectMapper();

        public Event {
            Objects.requireNonNull(streamId, "streamId");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(event.occurredAt(), "occurredAt");
            Objects.requireNonNull(recordedAt, "recordedAt");
        }

        /**
         * How the event a store already holds at this line's version differs from the line, or
         * null when it is the same event: same id, type, data (as JSON values), metadata, tags, and
         * times closer than {@code timePrecision} (the store's own resolution; zero for exact).
         */
        public String differenceFrom(RecordedEvent stored, Duration timePrecision) {
            if (!stored.eventId().equals(event.eventId())) {
                return "it holds event " + stored.eventId() + ", not " + event.eventId();
            }
            if (!stored.type().equals(event.type())) {
                return "its type is " + stored.type() + ", not " + event.type();
            }
            if (!sameJson(stored.data(), event.data())) {
                return "its data differs";
            }
            if (!stored.metadata().equals(event.metadata())) {
                return "its metadata differs";
            }
            if (!stored.tags().equals(event.tags())) {
                return "its tags are " + stored.tags() + ", not " + event.tags();
            }
            if (!close(stored.recordedAt(), recordedAt, timePrecision)) {
                return "it was recorded at " + stored.recordedAt() + ", not " + recordedAt;
            }
            if (!close(stored.occurredAt(), event.occurredAt(), timePrecision)) {
                return "it occurred at " + stored.occurredAt() + ", not " + event.occurredAt();
            }
            return null;
        }

        private static boolean close(Instant a, Instant b, Duration precision) {
            Duration apart = Duration.between(a, b).abs();
            return precision.isZero() ? apart.isZero() : apart.compareTo(precision) < 0;
        }

        /** Whether two JSON texts hold the same value; equal texts need no parsing. */
        private static boolean sameJson(String a, String b) {
            if (a.equals(b)) {
                return true;
            }
            try {
                return JSON.readTree(a).equals(JSON.readTree(b));
            } catch (JsonProcessingException e) {
                return false;
            }
        }
    }

    /**
     * A deletion of a stream: a soft one hides its events up to {@code throughVersion}, a hard one
     * tombstones it ({@code throughVersion} is then -1).
     */
    record Deletion(long number, StreamId streamId, DeleteMode mode, long throughVersion) implements JsonLine {

        public Deletion {
            Objects.requireNonNull(streamId, "streamId");
            Objects.requireNonNull(mode, "mode");
        }
    }
}
