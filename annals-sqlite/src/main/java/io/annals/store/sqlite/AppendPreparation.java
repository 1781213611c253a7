package io.annals.store.sqlite;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.store.Append;
import io.annals.store.AppendLimits;
import io.annals.store.AppendValidation;
import io.annals.store.ExpectedVersion;
import io.annals.store.InvalidAppendException;
import io.annals.store.StreamWrite;

import java.time.Instant;
import java.util.List;

/** Checks an append before it is queued, so that bad input never reaches the writer. */
final class AppendPreparation {

    private final AppendLimits limits;

    AppendPreparation(AppendLimits limits) {
        this.limits = limits;
    }

    int maxEventsPerAppend() {
        return limits.maxEventsPerAppend();
    }

    WriteOp.Append prepare(StreamId streamId, ExpectedVersion expected, List<EventData> events) {
        return prepare(streamId, expected, events, null);
    }

    WriteOp.AppendAll prepare(Append append) {
        for (StreamWrite write : append.writes()) {
            validate(write.streamId(), write.expected(), write.events());
        }
        return new WriteOp.AppendAll(append);
    }

    WriteOp.Append prepare(StreamId streamId, ExpectedVersion expected, List<EventData> events, Instant recordedAt) {
        validate(streamId, expected, events);
        if (recordedAt != null && !EventColumns.fitsNanos(recordedAt)) {
            throw new InvalidAppendException("recordedAt " + recordedAt + " is out of the range this store keeps");
        }
        return new WriteOp.Append(streamId, expected, List.copyOf(events), recordedAt);
    }

    private void validate(StreamId streamId, ExpectedVersion expected, List<EventData> events) {
        AppendValidation.validate(streamId, expected, events, limits);
        for (EventData event : events) {
            if (event.occurredAt() != null && !EventColumns.fitsNanos(event.occurredAt())) {
                throw new InvalidAppendException("occurredAt of event " + event.eventId() + " is " + event.occurredAt()
                        + "; this store keeps times between " + EventColumns.MIN_INSTANT + " and " + EventColumns.MAX_INSTANT);
            }
        }
    }
}
