-- The append functions plan their statements once per connection (force_generic_plan). A plan
-- made while the tables were nearly empty chose sequential scans, and kept them as the tables
-- grew: with thousands of streams, a batch's "advance the streams" UPDATE scanned the whole
-- streams table once per request, and one call took seconds. Every statement in these functions
-- is meant as index probes per request, so sequential scans are ruled out for them outright.
ALTER FUNCTION ${flyway:defaultSchema}.append_events(
    text[], bigint[], int[], int[], int[], uuid[], text[], text[], text[], timestamptz[])
    SET enable_seqscan = off;
ALTER FUNCTION ${flyway:defaultSchema}.append_stream(
    text, bigint, uuid[], text[], text[], text[], timestamptz[])
    SET enable_seqscan = off;
