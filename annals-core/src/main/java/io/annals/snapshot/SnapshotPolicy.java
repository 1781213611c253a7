package io.annals.snapshot;

/** Decides after each successful append whether to take a snapshot. */
@FunctionalInterface
public interface SnapshotPolicy {

    /**
     * @param previousVersion the stream's version before the append (-1: it was new)
     * @param newVersion      its version after
     */
    boolean shouldSnapshot(long previousVersion, long newVersion);

    static SnapshotPolicy never() {
        return (previous, current) -> false;
    }

    /** Snapshots whenever the append crosses a multiple of {@code n} events. */
    static SnapshotPolicy everyNEvents(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive");
        }
        return (previous, current) -> (current + 1) / n > (previous + 1) / n;
    }

    default SnapshotPolicy or(SnapshotPolicy other) {
        return (previous, current) -> shouldSnapshot(previous, current) || other.shouldSnapshot(previous, current);
    }
}
