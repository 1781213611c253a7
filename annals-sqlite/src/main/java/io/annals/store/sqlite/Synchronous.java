package io.annals.store.sqlite;

/**
 * How hard the store pushes a commit to the disk before an append returns.
 *
 * <p>The store always runs in WAL mode, where a commit is a write to the {@code -wal} file.
 */
public enum Synchronous {

    /**
     * {@code synchronous=NORMAL}: the commit is written to the WAL file (into the operating
     * system's page cache) before the append returns, and fsynced at checkpoints. An acknowledged
     * append survives the process being killed at any moment (including {@code kill -9}); after a
     * power loss or kernel crash the last few acknowledged transactions may be gone, but the file
     * is never corrupted. The default: it is what makes single appends fast.
     */
    NORMAL,

    /**
     * {@code synchronous=FULL}: the WAL file is fsynced at every commit, so an acknowledged
     * append survives power loss too, at the cost of one fsync per combined transaction.
     */
    FULL
}
