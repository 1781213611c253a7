-- Event ids are no longer indexed: random ids put every insert on a random page of that index,
-- and a WAL commit writes whole pages. The writer keeps a fingerprint set of each stream's event
-- ids in memory instead (rebuilt from the stream when needed), see KnownEventIds.
DROP INDEX events_stream_event_id;
