package io.annals.bench.store.cases;

import io.annals.bench.measure.ThroughputRunner;
import io.annals.bench.report.Unit;
import io.annals.bench.store.BenchSettings;
import io.annals.bench.subject.BenchSubject;
import io.annals.bench.workload.BenchEvents;
import io.annals.bench.workload.StreamChunk;

/**
 * One client appends batches of {@code batchSize} events, one transaction each, moving on to a
 * new stream every {@value AppendSingleEventsCase#STREAM_LENGTH} events.
 */
public record AppendBatchCase(int batchSize) implements StoreCase {

    @Override
    public String name() {
        return "append-batch-" + batchSize;
    }

    @Override
    public Unit unit() {
        return Unit.EVENTS_PER_SECOND;
    }

    @Override
    public int rounds(BenchSettings settings) {
        return settings.rounds();
    }

    @Override
    public boolean supports(BenchSubject subject) {
        return subject instanceof BenchSubject.BatchAppender;
    }

    @Override
    public double measure(BenchSubject subject, BenchSettings settings) throws Exception {
        var appender = (BenchSubject.BatchAppender) subject;
        return ThroughputRunner.eventsPerSecond(1, settings.warmup(), settings.measure(), (client, iteration) -> {
            long batchesPerStream = Math.max(1, AppendSingleEventsCase.STREAM_LENGTH / batchSize);
            long firstVersion = iteration % batchesPerStream * batchSize;
            appender.appendBatch(new StreamChunk("batch-writer-" + iteration / batchesPerStream, firstVersion,
                    BenchEvents.events(iteration * batchSize, batchSize)));
            return batchSize;
        });
    }
}
