package io.annals.sagas;

/** Where a saga instance stands. */
public enum SagaStatus {
    /** Running its steps forward. */
    STARTED,
    /** Every step succeeded. */
    COMPLETED,
    /** A step failed for good; compensation has not begun yet. */
    FAILED,
    /** Undoing the started steps, the last first. */
    COMPENSATING,
    /** Every started step was undone. */
    COMPENSATED,
    /** A compensation failed after all its tries: a person must act (retry it or mark it resolved). */
    NEEDS_ATTENTION,
    /** A person marked a saga that needed attention as dealt with. */
    RESOLVED;

    public boolean isFinal() {
        return this == COMPLETED || this == COMPENSATED || this == RESOLVED;
    }

    /** Whether the engine has nothing more to do on its own. */
    public boolean isAtRest() {
        return isFinal() || this == NEEDS_ATTENTION;
    }
}
