-- Projections (ADR 0011). One row per projection partition: its checkpoint (a position token,
-- whose text order is the global order), and its lease: the owner, until when (milliseconds of
-- the server's clock) and the fencing token, which grows with every new lease. A checkpoint is
-- written only with the current fence, in the transaction of the read model's writes.
CREATE TABLE ${flyway:defaultSchema}.projection_checkpoints (
    projection  text   NOT NULL,
    generation  int    NOT NULL,
    partition   int    NOT NULL,
    position    text   NOT NULL,
    fence       bigint NOT NULL DEFAULT 0,
    owner       text,
    lease_until bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (projection, generation, partition)
);

-- The projections of the store: the generation of their tables (a rebuild writes the next one and
-- then points the views, named after the tables, at it) and how many partitions they run.
CREATE TABLE ${flyway:defaultSchema}.projections (
    name        text    NOT NULL PRIMARY KEY,
    generation  int     NOT NULL,
    partitions  int     NOT NULL
);

-- Events a projection could not handle after its retries, with the error; a blocking one holds
-- its partition stopped before it (OnFailure.STOP) until it is retried or discarded.
CREATE TABLE ${flyway:defaultSchema}.projection_dead_letters (
    id          bigserial PRIMARY KEY,
    projection  text   NOT NULL,
    generation  int    NOT NULL,
    partition   int    NOT NULL,
    event_id    text   NOT NULL,
    stream_id   text   NOT NULL,
    version     bigint NOT NULL,
    position    text   NOT NULL,
    event_type  text   NOT NULL,
    error       text   NOT NULL,
    attempts    int    NOT NULL,
    blocking    boolean NOT NULL,
    parked_at   bigint NOT NULL,
    UNIQUE (projection, generation, event_id)
);

-- Events an idempotent handler has processed, written in the handler's transaction; rows older
-- than the handler's retention are deleted.
CREATE TABLE ${flyway:defaultSchema}.processed_events (
    consumer     text   NOT NULL,
    event_id     text   NOT NULL,
    processed_at bigint NOT NULL,
    PRIMARY KEY (consumer, event_id)
);

CREATE INDEX processed_events_by_time ON ${flyway:defaultSchema}.processed_events (consumer, processed_at);
