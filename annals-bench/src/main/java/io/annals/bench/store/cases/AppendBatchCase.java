package io.annals.bench.store.cases;

import io.annals.bench.measure.ThroughputRunner;
import io.annals.bench.report.Unit;
import io.annals.bench.store.BenchSettings;
import io.annals.bench.subject.BenchSubject;
import io.annals.bench.workload.BenchEvents;
import io.annals.bench.workload.StreamChunk;

/** One client appends batches of {@code batchSize} events to its stream, one transaction each. */
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
    public boolean supports(BenchSubject subject) {
        return subject instanceof BenchSubject.BatchAppender;
    }

    @Override
    public double measure(BenchSubject subject, BenchSettings settings) throws Exception {
        var appender = (BenchSubject.BatchAppender) subject;
        return ThroughputRunner.eventsPerSecond(1, settings.warmup(), settings.measure(), (client, iteration) -> {
            long firstVersion = iteration * batchSize;
            appender.appendBatch(new StreamChunk("batch-writer", firstVersion,
                    BenchEvents.events(firstVersion, batchSize)));
            return batchSize;
        });
    }
}
