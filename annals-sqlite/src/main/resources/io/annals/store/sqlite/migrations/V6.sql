-- Projections (ADR 0011). One row per projection partition: its checkpoint (a position token,
-- whose text order is the global order), its lease (owner, until when in milliseconds) and its
-- fencing token. One process opens a store file, so the lease only matters within it.
CREATE TABLE projection_checkpoints (
    projection  TEXT    NOT NULL,
    generation  INTEGER NOT NULL,
    partition   INTEGER NOT NULL,
    position    TEXT    NOT NULL,
    fence       INTEGER NOT NULL DEFAULT 0,
    owner       TEXT,
    lease_until INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (projection, generation, partition)
) WITHOUT ROWID;

-- The projections of the store: the generation of their tables (a rebuild writes the next one and
-- then points the views, named after the tables, at it) and how many partitions they run.
CREATE TABLE projections (
    name        TEXT    NOT NULL PRIMARY KEY,
    generation  INTEGER NOT NULL,
    partitions  INTEGER NOT NULL
);

-- Events a projection could not handle after its retries, with the error; a blocking one holds
-- its partition stopped before it (OnFailure.STOP) until it is retried or discarded.
CREATE TABLE projection_dead_letters (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    projection  TEXT    NOT NULL,
    generation  INTEGER NOT NULL,
    partition   INTEGER NOT NULL,
    event_id    TEXT    NOT NULL,
    stream_id   TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    position    TEXT    NOT NULL,
    event_type  TEXT    NOT NULL,
    error       TEXT    NOT NULL,
    attempts    INTEGER NOT NULL,
    blocking    INTEGER NOT NULL,
    parked_at   INTEGER NOT NULL,
    UNIQUE (projection, generation, event_id)
);

-- Events an idempotent handler has processed, written in the handler's transaction.
CREATE TABLE processed_events (
    consumer     TEXT    NOT NULL,
    event_id     TEXT    NOT NULL,
    processed_at INTEGER NOT NULL,
    PRIMARY KEY (consumer, event_id)
) WITHOUT ROWID;

CREATE INDEX processed_events_by_time ON processed_events (consumer, processed_at);
