package io.annals.projection;

/** Signals between a partition's event handler and its worker; never seen by callers. */
final class ProjectionFailures {

    private ProjectionFailures() {
    }

    /** The checkpoint write carried a stale fence: another runtime holds the partition now. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super("the partition's lease was taken by another runtime", null, false, false);
        }
    }

    /** An event was parked and the projection stops before it. */
    static final class StoppedOnDeadLetter extends RuntimeException {
        StoppedOnDeadLetter() {
            super("stopped before a dead letter", null, false, false);
        }
    }

    /** Carries a handler's checked exception out of a transaction. */
    static final class HandlerFailed extends RuntimeException {
        HandlerFailed(Exception cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** The exception a handler threw, unwrapped. */
    static Throwable cause(Throwable error) {
        return error instanceof HandlerFailed failed ? failed.getCause() : error;
    }
}
