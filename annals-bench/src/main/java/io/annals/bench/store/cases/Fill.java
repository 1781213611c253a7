package io.annals.bench.store.cases;

import io.annals.bench.subject.BenchSubject;
import io.annals.bench.workload.StreamChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Writes a case's starting data, unmeasured, by the fastest path the subject has. */
final class Fill {

    private static final int FILL_WRITERS = 4;

    private Fill() {
    }

    static void write(BenchSubject subject, List<StreamChunk> chunks) throws Exception {
        switch (subject) {
            case BenchSubject.BulkImporter importer -> importer.importAll(chunks);
            case BenchSubject.BatchAppender appender -> appendConcurrently(appender, chunks);
            default -> throw new IllegalArgumentException("cannot write events into " + subject);
        }
    }

    /** Each writer owns the streams that hash to it, so one stream's chunks stay in version order. */
    private static void appendConcurrently(BenchSubject.BatchAppender appender, List<StreamChunk> chunks)
            throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<?>>();
            for (int w = 0; w < FILL_WRITERS; w++) {
                int writer = w;
                futures.add(executor.submit(() -> {
                    for (StreamChunk chunk : chunks) {
                        if (Math.floorMod(chunk.streamId().hashCode(), FILL_WRITERS) == writer) {
                            appender.appendBatch(chunk);
                        }
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
