package io.annals.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events written after the stream index's mark (the last position it covers, {@code indexed_through}), which the writer moves into
 * {@code stream_index} in bulk (ADR 0006): a flush writes each stream's new entries onto the
 * stream's page together, where indexing every append at once dirtied a page per stream per
 * commit. A flush runs inside a writer transaction and commits with it.
 *
 * <p>Only the writer touches it, under the combiner's lock, except {@link #oldestUnflushedNanos},
 * which the background flusher reads. After a crash the tail is read back from the log: the
 * mark commits with the entries it covers, so the file is never in between.
 */
final class UnindexedTail {

    /** The newest version of a stream, indexed or in the tail: for readers, who do not know the tail. */
    static final String LAST_VERSION = "SELECT max(v) FROM ("
            + "SELECT max(version) AS v FROM stream_index WHERE stream_id = ?1 UNION ALL "
            + "SELECT max(version) FROM events WHERE position > (SELECT indexed_through FROM stream_index_horizon) "
            + "AND stream_id = ?1)";

    private static final String INSERT_ENTRY = "INSERT INTO stream_index (stream_id, version, position) VALUES (?, ?, ?)";
    private static final String ADVANCE_MARK = "UPDATE stream_index_horizon SET indexed_through = ?";
    private static final String LOAD = "SELECT stream_id, version, position FROM events "
            + "WHERE position > (SELECT indexed_through FROM stream_index_horizon) ORDER BY position";

    private record Entry(String streamId, long version, long position) {
    }

    /** When a flush is due: this many entries, or the oldest entry this old. */
    record FlushPolicy(int maxEntries, Duration maxAge) {
        static final FlushPolicy DEFAULT = new FlushPolicy(4_096, Duration.ofMillis(100));

        FlushPolicy {
            if (maxEntries < 1 || maxAge.isNegative()) {
                throw new IllegalArgumentException("a flush policy needs at least one entry and a non-negative age");
            }
        }
    }

    private final FlushPolicy policy;
    private final PreparedStatement insertEntry;
    private final PreparedStatement advanceMark;
    private final PreparedStatement load;
    /** In position order. */
    private final List<Entry> entries = new ArrayList<>();
    /** The newest version of each stream in {@link #entries}. */
    private final Map<String, Long> lastVersions = new HashMap<>();
    /** Entries that belong to committed transactions; the rest are the open transaction's. */
    private int committedSize;
    /** Entries the open transaction moved into the index; they leave the tail when it commits. */
    private int flushedInTransaction;
    private long oldestNanos;
    private volatile long oldestUnflushedNanos;

    UnindexedTail(Connection writer, FlushPolicy policy) throws SQLException {
        this.policy = policy;
        this.insertEntry = writer.prepareStatement(INSERT_ENTRY);
        this.advanceMark = writer.prepareStatement(ADVANCE_MARK);
        this.load = writer.prepareStatement(LOAD);
    }

    /** Forgets the tail and reads it back from the file: the events after the mark. */
    void reload() throws SQLException {
        entries.clear();
        flushedInTransaction = 0;
        try (ResultSet rows = load.executeQuery()) {
            while (rows.next()) {
                entries.add(new Entry(rows.getString(1), rows.getLong(2), rows.getLong(3)));
            }
        }
        committedSize = entries.size();
        recomputeLastVersions();
        oldestNanos = System.nanoTime();
        oldestUnflushedNanos = entries.isEmpty() ? 0 : oldestNanos;
    }

    /** An event the open transaction wrote; positions only rise. */
    void written(String streamId, long version, long position) {
        if (entries.size() == flushedInTransaction) {
            oldestNanos = System.nanoTime();
        }
        entries.add(new Entry(streamId, version, position));
        lastVersions.put(streamId, version);
    }

    /** The newest version of the stream among the events not indexed yet, or -1. */
    long lastVersionOf(String streamId) {
        return lastVersions.getOrDefault(streamId, -1L);
    }

    /**
     * Whether the open transaction should flush now, before it writes more: it bounds the tail
     * that reads by stream scan, however large a transaction grows (an import).
     */
    boolean flushNeeded() {
        return entries.size() - flushedInTransaction >= policy.maxEntries();
    }

    /** Whether the open transaction should flush before it commits. */
    boolean flushDue(long nowNanos) {
        return flushNeeded()
                || (entries.size() > flushedInTransaction && nowNanos - oldestNanos >= policy.maxAge().toNanos());
    }

    /** Whether entries have waited longer than the policy allows; safe from any thread. */
    boolean overdue(long nowNanos) {
        long oldest = oldestUnflushedNanos;
        return oldest != 0 && nowNanos - oldest >= policy.maxAge().toNanos();
    }

    /** Moves every entry into the index within the open transaction. */
    void flush() throws SQLException {
        if (entries.size() == flushedInTransaction) {
            return;
        }
        List<Entry> batch = entries.subList(flushedInTransaction, entries.size());
        long indexedThrough = batch.getLast().position();
        // each stream's entries together, in version order (the log's order): a grouping, no sort needed
        var byStream = new LinkedHashMap<String, List<Entry>>();
        for (Entry entry : batch) {
            byStream.computeIfAbsent(entry.streamId(), stream -> new ArrayList<>()).add(entry);
        }
        for (List<Entry> stream : byStream.values()) {
            for (Entry entry : stream) {
                insertEntry.setString(1, entry.streamId());
                insertEntry.setLong(2, entry.version());
                insertEntry.setLong(3, entry.position());
                insertEntry.addBatch();
            }
        }
        insertEntry.executeBatch();
        advanceMark.setLong(1, indexedThrough);
        advanceMark.executeUpdate();
        flushedInTransaction = entries.size();
    }

    void committed() {
        boolean flushed = flushedInTransaction > 0;
        if (flushed) {
            entries.subList(0, flushedInTransaction).clear();
            flushedInTransaction = 0;
            recomputeLastVersions();
        }
        committedSize = entries.size();
        if (entries.isEmpty()) {
            oldestUnflushedNanos = 0;
        } else if (flushed || oldestUnflushedNanos == 0) {
            oldestUnflushedNanos = oldestNanos;
        }
    }

    void rolledBack() {
        try {
            insertEntry.clearBatch();
        } catch (SQLException ignored) {
            // nothing was batched
        }
        flushedInTransaction = 0;
        entries.subList(committedSize, entries.size()).clear();
        recomputeLastVersions();
        oldestNanos = oldestUnflushedNanos;
    }

    private void recomputeLastVersions() {
        lastVersions.clear();
        for (Entry entry : entries) {
            lastVersions.put(entry.streamId(), entry.version());
        }
    }

    void close() {
        for (PreparedStatement statement : List.of(insertEntry, advanceMark, load)) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
