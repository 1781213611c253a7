package io.annals.server.cli;

import io.annals.server.cli.LoadTraffic.Call;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a load run saw, from the threads of every request: each call's count and latencies (kept
 * exactly, every one, for the percentiles) and each error by kind, with the calls it hit.
 */
final class LoadRecorder {

    /** The latencies of one call, in nanoseconds. */
    private static final class Latencies {
        long[] nanos = new long[1024];
        int size;

        void add(long latency) {
            if (size == nanos.length) {
                nanos = Arrays.copyOf(nanos, size * 2);
            }
            nanos[size++] = latency;
        }
    }

    private final Map<Call, Latencies> latencies = new EnumMap<>(Call.class);
    private final Map<Call, Long> sent = new EnumMap<>(Call.class);
    private final Map<Call, Long> failed = new EnumMap<>(Call.class);
    private final Map<String, Map<Call, Long>> errors = new TreeMap<>();

    synchronized void succeeded(Call call, long latencyNanos) {
        sent.merge(call, 1L, Long::sum);
        latencies.computeIfAbsent(call, c -> new Latencies()).add(latencyNanos);
    }

    synchronized void failed(Call call, String kind) {
        sent.merge(call, 1L, Long::sum);
        failed.merge(call, 1L, Long::sum);
        errors.computeIfAbsent(kind, k -> new EnumMap<>(Call.class)).merge(call, 1L, Long::sum);
    }

    synchronized long requests() {
        return sent.values().stream().mapToLong(Long::longValue).sum();
    }

    synchronized long errors() {
        return failed.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The kind of the first error in name order, for a run that cannot go on. */
    synchronized Optional<String> firstError() {
        return errors.keySet().stream().findFirst();
    }

    /** The table of calls (sent, errors, p50 and p99 of the answered ones in ms), then the errors by kind. */
    synchronized String render() {
        var rows = new ArrayList<List<String>>();
        rows.add(List.of("CALL", "SENT", "ERRORS", "P50 MS", "P99 MS"));
        var all = new Latencies();
        for (Call call : Call.values()) {
            Latencies answered = latencies.getOrDefault(call, new Latencies());
            for (int i = 0; i < answered.size; i++) {
                all.add(answered.nanos[i]);
            }
            rows.add(row(call.label, sent.getOrDefault(call, 0L), failed.getOrDefault(call, 0L), answered));
        }
        rows.add(row("all", requests(), errors(), all));
        var text = new StringBuilder(ProjectionsCommand.table(rows));
        if (!errors.isEmpty()) {
            text.append("errors:\n");
            errors.forEach((kind, calls) -> {
                var by = new ArrayList<String>();
                calls.forEach((call, count) -> by.add(call.label + " " + ProjectionsCommand.count(count)));
                text.append("  ").append(kind).append(": ")
                        .append(ProjectionsCommand.count(calls.values().stream().mapToLong(Long::longValue).sum()))
                        .append(" (").append(String.join(", ", by)).append(")\n");
            });
        }
        return text.toString();
    }

    private static List<String> row(String label, long sent, long failed, Latencies answered) {
        return List.of(label, ProjectionsCommand.count(sent), ProjectionsCommand.count(failed),
                millis(answered, 50), millis(answered, 99));
    }

    /** The nearest-rank {@code percentile} in milliseconds, or a dash when nothing was answered. */
    private static String millis(Latencies answered, double percentile) {
        if (answered.size == 0) {
            return "-";
        }
        long[] sorted = Arrays.copyOf(answered.nanos, answered.size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return String.format(Locale.ROOT, "%.1f", sorted[Math.clamp(rank - 1, 0, sorted.length - 1)] / 1e6);
    }
}
