package io.annals.aggregate;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** The options both decider runtimes share; their builders extend it. */
abstract class RuntimeOptions<B extends RuntimeOptions<B>> {

    int maxAttempts = 5;
    Clock clock = Clock.systemUTC();
    Duration commandRetention = CommandRecorder.DEFAULT_RETENTION;

    abstract B self();

    /** How many times to decide in all when the append meets a concurrency conflict; 5 unless set. */
    public B maxAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be positive");
        }
        this.maxAttempts = attempts;
        return self();
    }

    /**
     * How long the store keeps the outcome of a command handled under a known id (one day unless
     * set): within it, the same id returns that outcome.
     */
    public B commandRetention(Duration retention) {
        this.commandRetention = CommandRecorder.requirePositive(retention);
        return self();
    }

    /** The clock that stamps command records and snapshots. */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }
}
