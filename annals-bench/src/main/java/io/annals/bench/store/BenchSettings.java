package io.annals.bench.store;

import java.time.Duration;

/**
 * How long and how much each case runs.
 *
 * @param warmup          closed-loop warm-up before each throughput window
 * @param measure         the throughput window; also how long the subscription case measures
 * @param events          events imported and read in the import and read-all cases
 * @param loadRepetitions how many timed stream loads the latency case takes
 * @param rounds          how many times each append case measures every comparator, in turns
 */
public record BenchSettings(Duration warmup, Duration measure, long events, int loadRepetitions, int rounds) {

    public BenchSettings {
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1");
        }
        if (warmup.isNegative() || measure.isNegative() || measure.isZero()) {
            throw new IllegalArgumentException("durations must be positive");
        }
        if (events < 1 || loadRepetitions < 1) {
            throw new IllegalArgumentException("--events and repetitions must be at least 1");
        }
    }
}
