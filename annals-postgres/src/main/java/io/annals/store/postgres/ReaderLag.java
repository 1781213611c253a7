package io.annals.store.postgres;

import java.time.Duration;
import java.util.Optional;

/**
 * How far readers of all events are held back by the transaction horizon.
 *
 * @param heldBackEvents committed events that readers cannot see yet because an older
 *                       transaction is still open (counted up to a cap)
 * @param oldestTransaction the oldest running transaction that holds an id, in any database of
 *                          the server: the one the horizon waits for
 */
public record ReaderLag(long heldBackEvents, Optional<OpenTransaction> oldestTransaction) {

    /** A backend from {@code pg_stat_activity}; query and state are hidden without pg_read_all_stats. */
    public record OpenTransaction(int pid, Duration age, String state, String query) {
    }

    public boolean isHeldBack() {
        return heldBackEvents > 0;
    }
}
