-- The global log. position is the rowid: assigned by the single writer in commit order, gap-free.
-- event_id is the 16-byte big-endian UUID; times are nanoseconds since the epoch (UTC).
-- metadata is a JSON object, or NULL when empty.
CREATE TABLE events (
    position    INTEGER PRIMARY KEY,
    stream_id   TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    event_id    BLOB    NOT NULL,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT,
    recorded_at INTEGER NOT NULL,
    occurred_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX events_stream_version ON events (stream_id, version);
CREATE UNIQUE INDEX events_stream_event_id ON events (stream_id, event_id);

-- Only streams that were ever deleted have a row; an append never touches this table.
CREATE TABLE stream_deletions (
    stream_id       TEXT    PRIMARY KEY,
    deleted_through INTEGER NOT NULL,
    tombstoned      INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE snapshots (
    stream_id  TEXT    PRIMARY KEY,
    version    INTEGER NOT NULL,
    state_type TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    taken_at   INTEGER NOT NULL
) WITHOUT ROWID;
