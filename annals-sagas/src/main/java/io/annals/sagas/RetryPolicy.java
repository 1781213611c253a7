package io.annals.sagas;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a step (or its compensation, or an outbox delivery) is tried and how long to wait
 * between tries: the first retry after {@code initialDelay}, each later one {@code multiplier}
 * times longer, never longer than {@code maxDelay}.
 *
 * @param maxAttempts tries in all, the first included; at least 1
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay) {

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("retry delays must not be negative");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number of at least 1, got " + multiplier);
        }
    }

    /** One try, no retry. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO);
    }

    /** {@code maxAttempts} tries, doubling from {@code initialDelay} up to {@code maxDelay}. */
    public static RetryPolicy exponential(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        return new RetryPolicy(maxAttempts, initialDelay, 2.0, maxDelay);
    }

    /** Whether a try numbered {@code attempt} (from 1) may be followed by another. */
    public boolean allowsAfter(int attempt) {
        return attempt < maxAttempts;
    }

    /** How long to wait after the failed try numbered {@code attempt} (from 1). */
    public Duration delayAfter(int attempt) {
        double nanos = initialDelay.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
        long capped = (long) Math.min(nanos, maxDelay.toNanos());
        return Duration.ofNanos(Math.max(0, capped));
    }
}
