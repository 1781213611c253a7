package io.annals.store.postgres;

/**
 * Whether another process listens for this schema's append notifications. A process's own
 * subscriptions are woken by its own commits, so while no other process listens, appends skip
 * the NOTIFY and its cost (a database-wide lock through the commit, a wake-up of every listening
 * backend). The {@link NotificationListener} keeps this current: it counts the other listeners
 * of the schema on the server every second, and a listener that starts announces itself at once,
 * so the others know of it within milliseconds rather than at their next count.
 *
 * <p>Until the count has run, or while the listener's own connection is down, the answer is
 * yes: a needless notification costs time, a missing one costs another process up to a poll
 * interval of latency.
 */
final class OtherListeners {

    private volatile boolean present = true;

    boolean present() {
        return present;
    }

    void set(boolean present) {
        this.present = present;
    }
}
