package io.annals.bench.subject;

import io.annals.bench.workload.StreamChunk;
import io.annals.event.StreamId;
import io.annals.store.ExpectedVersion;
import io.annals.store.StreamAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Imports through the public append SPI, one append per stream, from a few concurrent writers:
 * what an application can do when the store offers no bulk path of its own.
 */
public record AppendingImporter(StreamAppender appender, int writers) implements BenchSubject.BulkImporter {

    @Override
    public BenchSubject.PreparedImport prepareImport(List<StreamChunk> chunks) {
        return () -> appendAll(chunks);
    }

    private void appendAll(List<StreamChunk> chunks) throws Exception {
        var next = new AtomicInteger();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<?>>();
            for (int w = 0; w < writers; w++) {
                futures.add(executor.submit(() -> {
                    for (int i = next.getAndIncrement(); i < chunks.size(); i = next.getAndIncrement()) {
                        StreamChunk chunk = chunks.get(i);
                        appender.append(StreamId.of(chunk.streamId()), ExpectedVersion.after(chunk.firstVersion() - 1),
                                AnnalsSubject.toEventData(chunk.events()));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
    }
}
