package io.annals.store;

/**
 * Bounds every store enforces on one append, so that a bad client gets a clear error instead of
 * exhausting memory or a database limit.
 */
public record AppendLimits(int maxEventsPerAppend, int maxEventBytes) {

    public static final AppendLimits DEFAULT = new AppendLimits(10_000, 1024 * 1024);

    public AppendLimits {
        if (maxEventsPerAppend < 1 || maxEventBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
