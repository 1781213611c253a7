-- Command records (ADR 0009): the first outcome of each command handled under a known id,
-- written in the transaction of the command's events; results holds what that append returned
-- (version@position per stream), NULL when the command appended nothing.
CREATE TABLE ${flyway:defaultSchema}.command_outcomes (
    command_id  uuid        NOT NULL PRIMARY KEY,
    fingerprint text        NOT NULL,
    outcome     text        NOT NULL,
    results     text,
    recorded_at timestamptz NOT NULL
);

CREATE INDEX command_outcomes_by_time ON ${flyway:defaultSchema}.command_outcomes (recorded_at);
