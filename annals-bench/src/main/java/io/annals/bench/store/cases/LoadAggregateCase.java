package io.annals.bench.store.cases;

import io.annals.bench.measure.LatencySamples;
import io.annals.bench.report.Unit;
import io.annals.bench.store.BenchSettings;
import io.annals.bench.subject.BenchSubject;
import io.annals.bench.workload.BenchEvents;
import io.annals.bench.workload.StreamChunk;
import java.util.ArrayList;

/**
 * Loads one whole stream of {@code streamLength} events, as a repository does before handling a
 * command. The table holds {@value #STREAMS} such streams written in interleaved batches, so one
 * stream's rows are spread out as in a live system. The figure is the median of the timed loads.
 */
public record LoadAggregateCase(int streamLength) implements StoreCase {

    static final int STREAMS = 20;
    private static final int BATCH = 100;
    private static final int WARMUP_LOADS = 50;

    @Override
    public String name() {
        return "load-aggregate-" + streamLength;
    }

    @Override
    public Unit unit() {
        return Unit.MILLISECONDS;
    }

    @Override
    public boolean supports(BenchSubject subject) {
        return subject instanceof BenchSubject.StreamLoader && subject instanceof BenchSubject.BatchAppender;
    }

    @Override
    public double measure(BenchSubject subject, BenchSettings settings) throws Exception {
        var chunks = new ArrayList<StreamChunk>();
        for (int first = 0; first < streamLength; first += BATCH) {
            int count = Math.min(BATCH, streamLength - first);
            for (int stream = 0; stream < STREAMS; stream++) {
                chunks.add(new StreamChunk("aggregate-" + stream, first, BenchEvents.events(first, count)));
            }
        }
        var appender = (BenchSubject.BatchAppender) subject;
        for (StreamChunk chunk : chunks) {
            appender.appendBatch(chunk);
        }
        var loader = (BenchSubject.StreamLoader) subject;
        for (int i = 0; i < WARMUP_LOADS; i++) {
            load(loader, "aggregate-" + (i % STREAMS));
        }
        var samples = new LatencySamples(settings.loadRepetitions());
        for (int i = 0; i < settings.loadRepetitions(); i++) {
            long start = System.nanoTime();
            load(loader, "aggregate-" + (i % STREAMS));
            samples.add(System.nanoTime() - start);
        }
        return samples.percentileMillis(50);
    }

    private void load(BenchSubject.StreamLoader loader, String streamId) throws Exception {
        int loaded = loader.loadStream(streamId);
        if (loaded != streamLength) {
            throw new IllegalStateException("loaded " + loaded + " events of " + streamId + ", expected " + streamLength);
        }
    }
}
