-- The stream index leaves the events table (ADR 0006). An index on events (stream_id, version)
-- puts each append to a different stream on a page of its own, and a WAL commit writes whole
-- pages: 64 concurrent appends wrote some 64 index pages per commit. stream_index is written by
-- the writer in bulk instead, many events per page; events after indexed_through are not in it
-- yet, and reads find them by a scan of that short tail of the log (the view stream_events).
CREATE TABLE stream_index (
    stream_id TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (stream_id, version)
) WITHOUT ROWID;

INSERT INTO stream_index (stream_id, version, position) SELECT stream_id, version, position FROM events;

DROP INDEX events_stream_version;

-- One row: every event at or below this position is in stream_index.
CREATE TABLE stream_index_horizon (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_through INTEGER NOT NULL
);

INSERT INTO stream_index_horizon (id, indexed_through) SELECT 1, coalesce(max(position), 0) FROM events;

-- A stream's events: the indexed ones, then the tail of the log. Queries on it with stream_id,
-- a version range and ORDER BY version run as a merge of an index search and the tail's scan.
CREATE VIEW stream_events AS
    SELECT i.stream_id, i.version, e.position, e.event_id, e.type, e.data, e.metadata, e.recorded_at, e.occurred_at
      FROM stream_index i JOIN events e ON e.position = i.position
    UNION ALL
    SELECT e.stream_id, e.version, e.position, e.event_id, e.type, e.data, e.metadata, e.recorded_at, e.occurred_at
      FROM events e
     WHERE e.position > (SELECT indexed_through FROM stream_index_horizon);
