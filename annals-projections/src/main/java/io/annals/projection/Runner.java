package io.annals.projection;

import io.annals.store.jdbc.JdbcEventStore;
import io.annals.store.jdbc.JdbcTransactionWork;
import io.annals.event.RecordedEvent;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** What the partitions of one runtime share: the store, its tables, the runtime's identity and lease timing. */
record Runner(JdbcEventStore store, Dialect dialect, CheckpointTable checkpoints, DeadLetterTable deadLetters,
              String owner, Duration lease, Consumer<List<RecordedEvent>> committed) {

    <T> T inTransaction(JdbcTransactionWork<T> work) {
        return store.inTransaction(work);
    }

    /** How often a partition renews its lease, and a waiting one tries to claim it. */
    Duration renewInterval() {
        return lease.dividedBy(4);
    }
}
