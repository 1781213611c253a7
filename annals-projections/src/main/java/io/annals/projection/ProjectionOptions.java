package io.annals.projection;

import java.time.Duration;
import java.util.Objects;

/**
 * How a projection runs.
 *
 * @param partitions     how many partitions (1 to 64) share the events by a hash of the stream id,
 *                       each with its own checkpoint; changing it needs a rebuild
 * @param batchSize      the most events applied in one transaction
 * @param attempts       how often an event is tried before it is parked as a dead letter
 * @param firstBackoff   the wait before the second attempt; it doubles for each further one
 * @param maxBackoff     the longest wait between attempts
 * @param onFailure      stop before a parked event (default) or skip it
 */
public record ProjectionOptions(int partitions, int batchSize, int attempts, Duration firstBackoff,
                                Duration maxBackoff, OnFailure onFailure) {

    public static final int MAX_PARTITIONS = 64;
    public static final ProjectionOptions DEFAULTS = new ProjectionOptions(1, 500, 5, Duration.ofMillis(100),
            Duration.ofSeconds(10), OnFailure.STOP);

    public ProjectionOptions {
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions must be between 1 and " + MAX_PARTITIONS + ", got " + partitions);
        }
        if (batchSize < 1 || batchSize > io.annals.store.EventSubscriptions.MAX_BATCH) {
            throw new IllegalArgumentException("batchSize must be between 1 and "
                    + io.annals.store.EventSubscriptions.MAX_BATCH + ", got " + batchSize);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(onFailure, "onFailure");
        if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("backoffs must satisfy 0 <= firstBackoff <= maxBackoff");
        }
    }

    public ProjectionOptions withPartitions(int value) {
        return new ProjectionOptions(value, batchSize, attempts, firstBackoff, maxBackoff, onFailure);
    }

    public ProjectionOptions withBatchSize(int value) {
        return new ProjectionOptions(partitions, value, attempts, firstBackoff, maxBackoff, onFailure);
    }

    public ProjectionOptions withRetries(int attemptsValue, Duration first, Duration max) {
        return new ProjectionOptions(partitions, batchSize, attemptsValue, first, max, onFailure);
    }

    public ProjectionOptions withOnFailure(OnFailure value) {
        return new ProjectionOptions(partitions, batchSize, attempts, firstBackoff, maxBackoff, value);
    }

    /** The wait before attempt {@code attempt} (2 and up). */
    Duration backoffBefore(int attempt) {
        long millis = firstBackoff.toMillis();
        for (int i = 2; i < attempt && millis < maxBackoff.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
