package io.annals.store;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Events for one or several streams, written in one atomic step, and optionally a condition
 * across streams that must hold for anything to be written.
 *
 * <pre>{@code
 * store.append(Append.to(userStream, ExpectedVersion.noStream(), registered)
 *         .onlyIf(AppendCondition.noneMatching(EventQuery.tagged(Tag.of("email", address)))));
 * }</pre>
 */
public record Append(List<StreamWrite> writes, Optional<AppendCondition> condition) {

    public Append {
        writes = List.copyOf(Objects.requireNonNull(writes, "writes"));
        Objects.requireNonNull(condition, "condition");
        if (writes.isEmpty()) {
            throw new InvalidAppendException("an append writes to at least one stream");
        }
        var seen = new java.util.HashSet<StreamId>();
        for (StreamWrite write : writes) {
            if (!seen.add(write.streamId())) {
                throw new InvalidAppendException("stream " + write.streamId() + " appears twice in one append");
            }
        }
    }

    public static Append to(StreamId streamId, ExpectedVersion expected, List<EventData> events) {
        return new Append(List.of(new StreamWrite(streamId, expected, events)), Optional.empty());
    }

    /** This append, also writing {@code events} to {@code streamId}. */
    public Append and(StreamId streamId, ExpectedVersion expected, List<EventData> events) {
        var all = new ArrayList<>(writes);
        all.add(new StreamWrite(streamId, expected, events));
        return new Append(all, condition);
    }

    /** This append, written only when {@code newCondition} holds. */
    public Append onlyIf(AppendCondition newCondition) {
        return new Append(writes, Optional.of(newCondition));
    }

    public int eventCount() {
        return writes.stream().mapToInt(write -> write.events().size()).sum();
    }
}
