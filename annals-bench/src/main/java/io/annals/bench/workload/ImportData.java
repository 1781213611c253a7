package io.annals.bench.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * A data set of {@code total} events spread over streams of {@code eventsPerStream} events each,
 * as a migration or import would bring them. Built once so that every comparator imports the same
 * events and generating them is not measured.
 */
public final class ImportData {

    private ImportData() {
    }

    public static List<StreamChunk> streams(String streamPrefix, long total, int eventsPerStream) {
        var chunks = new ArrayList<StreamChunk>((int) (total / eventsPerStream + 1));
        long sequence = 0;
        int stream = 0;
        while (sequence < total) {
            int count = (int) Math.min(eventsPerStream, total - sequence);
            chunks.add(new StreamChunk(streamPrefix + "-" + stream++, 0, BenchEvents.events(sequence, count)));
            sequence += count;
        }
        return chunks;
    }

    public static long count(List<StreamChunk> chunks) {
        return chunks.stream().mapToLong(chunk -> chunk.events().size()).sum();
    }
}
