package io.annals.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a consumer calls a failing handler before it dead-letters the record, and how long it
 * waits in between: {@code initialDelay}, then multiplied by {@code multiplier} each time, at most
 * {@code maxDelay}. The waits of one record add up while its partition stands still, so keep their
 * sum well under the consumer's {@code max.poll.interval.ms} (5 minutes unless overridden).
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay) {

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("delays must not be negative and maxDelay must not be below initialDelay");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number of at least 1");
        }
    }

    /** Five attempts, waiting 100 ms, 200 ms, 400 ms and 800 ms. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(100), 2.0, Duration.ofSeconds(10));
    }

    /** The wait after failed attempt {@code attempt} (1 for the first). */
    public Duration delayAfter(int attempt) {
        double millis = initialDelay.toMillis() * Math.pow(multiplier, attempt - 1);
        return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis);
    }
}
