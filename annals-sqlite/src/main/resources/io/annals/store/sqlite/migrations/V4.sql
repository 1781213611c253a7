-- Tags (ADR 0008). On the event row, so that reads return them without a join: the tags joined
-- by newlines (a tag holds no control characters), NULL when there are none. In event_tags, so
-- that a query or an append condition finds the events that carry a tag after a position.
ALTER TABLE events ADD COLUMN tags TEXT;

CREATE TABLE event_tags (
    tag      TEXT    NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (tag, position)
) WITHOUT ROWID;

DROP VIEW stream_events;

CREATE VIEW stream_events AS
    SELECT i.stream_id, i.version, e.position, e.event_id, e.type, e.data, e.metadata, e.recorded_at, e.occurred_at, e.tags
      FROM stream_index i JOIN events e ON e.position = i.position
    UNION ALL
    SELECT e.stream_id, e.version, e.position, e.event_id, e.type, e.data, e.metadata, e.recorded_at, e.occurred_at, e.tags
      FROM events e
     WHERE e.position > (SELECT indexed_through FROM stream_index_horizon);
