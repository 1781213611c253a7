package io.annals.store.sqlite;

/**
 * What the writer knows about one stream.
 *
 * @param lastVersion    version of the stream's last event, -1 when it has none
 * @param deletedThrough the last version hidden by a soft delete, -1 when none
 */
record StreamRow(long lastVersion, long deletedThrough, boolean tombstoned) {

    static final StreamRow EMPTY = new StreamRow(-1, -1, false);

    /** The version expected-version checks compare with: -1 when nothing is visible. */
    long visibleVersion() {
        return lastVersion > deletedThrough ? lastVersion : -1;
    }

    StreamRow withLastVersion(long version) {
        return new StreamRow(version, deletedThrough, tombstoned);
    }

    StreamRow softDeleted() {
        return new StreamRow(lastVersion, lastVersion, false);
    }

    StreamRow tombstone() {
        return new StreamRow(lastVersion, deletedThrough, true);
    }
}
