package io.annals.store.sqlite;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.store.ExpectedVersion;
import io.annals.store.InvalidAppendException;
import io.annals.store.jsonlines.ImportResult;
import io.annals.store.jsonlines.InvalidLineException;
import io.annals.store.jsonlines.JsonLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a chunk of imported lines in one writer transaction. Consecutive event lines of one
 * stream with the same recorded time (one original append) are written together, as one insert
 * batch; deletions in their place between them.
 */
final class ImportChunks {

    private final SqliteEventStore store;
    private final AppendPreparation preparation;

    ImportChunks(SqliteEventStore store, AppendPreparation preparation) {
        this.store = store;
        this.preparation = preparation;
    }

    /** What the transaction does, in file order. */
    private sealed interface Step {
    }

    /** Event lines that were one original append, and their events checked like an append's. */
    private record Run(List<JsonLine.Event> lines, WriteOp.Append op) implements Step {
    }

    private record Deleting(JsonLine.Deletion line) implements Step {
    }

    ImportResult write(List<JsonLine> chunk) {
        var steps = new ArrayList<Step>();
        var events = new ArrayList<JsonLine.Event>();
        for (JsonLine line : chunk) {
            if (line instanceof JsonLine.Event event && !events.isEmpty() && !continues(events, event)) {
                steps.add(run(events));
                events = new ArrayList<>();
            }
            switch (line) {
                case JsonLine.Event event -> events.add(event);
                case JsonLine.Deletion deletion -> {
                    if (!events.isEmpty()) {
                        steps.add(run(events));
                        events = new ArrayList<>();
                    }
                    steps.add(new Deleting(deletion));
                }
            }
        }
        if (!events.isEmpty()) {
            steps.add(run(events));
        }
        return store.inTransaction(transaction -> {
            var writer = (WriterTransaction) transaction;
            long written = 0;
            long skipped = 0;
            long deletions = 0;
            for (Step step : steps) {
                switch (step) {
                    case Run run -> {
                        int count = writer.importEvents(run.op(), run.lines());
                        written += count;
                        skipped += run.lines().size() - count;
                    }
                    case Deleting deleting -> {
                        writer.importDeletion(deleting.line());
                        deletions++;
                    }
                }
            }
            return new ImportResult(written, skipped, deletions);
        });
    }

    private boolean continues(List<JsonLine.Event> run, JsonLine.Event next) {
        JsonLine.Event last = run.getLast();
        return next.streamId().equals(last.streamId()) && next.version() == last.version() + 1
                && next.recordedAt().equals(last.recordedAt()) && run.size() < preparation.maxEventsPerAppend();
    }

    private Run run(List<JsonLine.Event> lines) {
        JsonLine.Event first = lines.getFirst();
        var events = new ArrayList<EventData>(lines.size());
        for (JsonLine.Event line : lines) {
            events.add(line.event());
        }
        try {
            StreamId streamId = first.streamId();
            Instant recordedAt = first.recordedAt();
            return new Run(lines, preparation.prepare(streamId, ExpectedVersion.any(), events, recordedAt));
        } catch (InvalidAppendException e) {
            throw new InvalidLineException(first.number(), e.getMessage(), e);
        }
    }
}
