-- Command records (ADR 0009): the first outcome of each command that was handled under a known
-- id, written in the transaction of the command's events; results holds what that append
-- returned (version@position per stream), NULL when the command appended nothing.
CREATE TABLE command_outcomes (
    command_id  BLOB    NOT NULL PRIMARY KEY,
    fingerprint TEXT    NOT NULL,
    outcome     TEXT    NOT NULL,
    results     TEXT,
    recorded_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX command_outcomes_by_time ON command_outcomes (recorded_at);
