package io.annals.projection;

/** Where a projection, or one of its partitions, stands. */
public enum ProjectionState {
    /** Not running in this runtime (not started, or closed). */
    STOPPED,
    /** Waiting for a partition that another runtime holds. */
    WAITING,
    /** Reading history from its checkpoint. */
    CATCHING_UP,
    /** Caught up, following new events. */
    LIVE,
    /** Building a new version of its tables (see {@link ProjectionRuntime#rebuild}). */
    REBUILDING,
    /** Stopped before a dead letter, or failing to reach the store. */
    FAILED
}
