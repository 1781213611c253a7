package io.annals.bench.measure;

import java.util.Arrays;
import java.util.List;

/** Latencies in nanoseconds, recorded by one thread at a time, summarised as percentiles in ms. */
public final class LatencySamples {

    private long[] nanos;
    private int size;

    public LatencySamples(int expected) {
        this.nanos = new long[Math.max(16, expected)];
    }

    public void add(long latencyNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = latencyNanos;
    }

    /** All samples of several recorders, read after the threads that wrote them have ended. */
    public static LatencySamples merge(List<LatencySamples> parts) {
        var merged = new LatencySamples(parts.stream().mapToInt(LatencySamples::size).sum());
        for (LatencySamples part : parts) {
            for (int i = 0; i < part.size; i++) {
                merged.add(part.nanos[i]);
            }
        }
        return merged;
    }

    public int size() {
        return size;
    }

    /** The {@code percentile} (0-100) in milliseconds, nearest-rank. */
    public double percentileMillis(double percentile) {
        if (size == 0) {
            throw new IllegalStateException("no samples");
        }
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * size);
        return sorted[Math.clamp(rank - 1, 0, size - 1)] / 1e6;
    }
}
