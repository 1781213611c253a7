-- One definition of the append. The lone append, the combined batch and the append inside a
-- caller's transaction all call append_events below; it replaces the functions of V1 to V3
-- (append_stream, and append_events with numeric codes), which are dropped here rather than
-- edited where they were released.
DROP FUNCTION ${flyway:defaultSchema}.append_stream(
    text, bigint, uuid[], text[], text[], text[], timestamptz[]);
DROP FUNCTION ${flyway:defaultSchema}.append_events(
    text[], bigint[], int[], int[], int[], uuid[], text[], text[], text[], timestamptz[]);

-- What the writer expects of the stream, named as in the API (ExpectedVersion): 'exact' comes
-- with the version it expects.
CREATE TYPE ${flyway:defaultSchema}.expected_version AS ENUM ('any', 'no-stream', 'stream-exists', 'exact');

-- What the append did with one request.
--   written    the events were appended
--   repeated   an exact repeat of an earlier append (same ids in the same order, same types and
--              data): nothing written, the earlier append's result
--   conflict   the expected version does not hold: nothing written, the visible version
--   deleted    the stream is tombstoned (hard-deleted): nothing written
--   duplicate  an event id the stream already holds, not as such a repeat: nothing written,
--              that stored id
--   different  the ids repeat an earlier append but this event's type or data differ: nothing
--              written, that event's id
CREATE TYPE ${flyway:defaultSchema}.append_outcome AS ENUM
    ('written', 'repeated', 'conflict', 'deleted', 'duplicate', 'different');

-- The stream's version as readers see it: -1 when it has no events or all are soft-deleted.
CREATE FUNCTION ${flyway:defaultSchema}.visible_version(p_version bigint, p_deleted_through bigint)
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN p_version > p_deleted_through THEN p_version ELSE -1 END;

-- The expected-version rule, for appends and deletes alike (small enough to be inlined into
-- the statements that use it).
CREATE FUNCTION ${flyway:defaultSchema}.expected_version_holds(
    p_expected ${flyway:defaultSchema}.expected_version, p_version bigint, p_visible bigint)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE p_expected
    WHEN 'any' THEN true
    WHEN 'no-stream' THEN p_visible < 0
    WHEN 'stream-exists' THEN p_visible >= 0
    ELSE p_visible = p_version
END;

-- Appends one or more requests, each to a distinct stream, in one call. p_versions holds the
-- version of an 'exact' request (else null). Events are flattened: p_event_request names each
-- event's request and p_event_index its place in that request (both from 1); p_first holds the
-- ordinal of each request's first event.
--
-- Answers per request (in the arrays' order): its outcome; the version (written: the new last
-- version, repeated: the earlier append's, conflict: the visible one); the transaction stamp
-- and sequence of its last event (written, repeated); the event id that a duplicate or
-- different request is refused for. The sequences of a written request are not known per
-- request here: `inserted` holds the sequences of every event written, and a written
-- request's last event is the (sum of the written requests' counts up to it)th smallest.
--
-- Every stream is locked and advanced first, in stream order so that writers cannot deadlock;
-- a tombstoned stream is locked but not advanced. The next statement's snapshot then sees
-- everything committed before the locks were taken, so the retry and expected-version checks
-- cannot race another writer of the stream. A request that writes nothing puts its version
-- back; its raised last_transaction_id stays, which is harmless (later writers stamp at least
-- that much anyway).
--
-- A request is a retry when the stream holds its first event id: the stream must then hold the
-- request's events, and only them, in the same order with the same types and data. Any other
-- id the stream holds makes the request a duplicate, whatever its expected version: a request
-- whose expected version does not hold is looked up; one that would write meets the id at the
-- insert, which fails on the unique index (stream_id, event_id) and writes nothing, since
-- looking every id up beforehand would cost a probe per event of every append, for what is a
-- client's mistake.
CREATE FUNCTION ${flyway:defaultSchema}.append_events(
    p_streams       text[],
    p_expected      ${flyway:defaultSchema}.expected_version[],
    p_versions      bigint[],
    p_counts        int[],
    p_first         int[],
    p_event_request int[],
    p_event_index   int[],
    p_event_ids     uuid[],
    p_types         text[],
    p_data          text[],
    p_metadata      text[],
    p_occurred_at   timestamptz[],
    OUT outcomes        ${flyway:defaultSchema}.append_outcome[],
    OUT versions        bigint[],
    OUT transaction_ids bigint[],
    OUT sequences       bigint[],
    OUT event_ids       uuid[],
    OUT inserted        bigint[])
LANGUAGE plpgsql
-- the statements' shapes never depend on the arguments' values: plan them once per connection,
-- as index probes per request (a plan made while the tables were small would otherwise keep
-- sequential scans as they grow)
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $fn$
DECLARE
    v_held_at  bigint[];
    v_repeat   record;
    v_stored   record;
BEGIN
    INSERT INTO ${flyway:defaultSchema}.streams AS st (stream_id, version, last_transaction_id)
    SELECT u.s, u.c - 1, pg_current_xact_id()::text::bigint FROM unnest(p_streams, p_counts) AS u(s, c) ORDER BY u.s
    ON CONFLICT (stream_id) DO UPDATE
       SET version = st.version + excluded.version + 1,
           last_transaction_id = greatest(excluded.last_transaction_id, st.last_transaction_id)
     WHERE NOT st.tombstoned;

    -- a new statement: its snapshot sees everything committed before the locks
    SELECT array_agg(d.outcome), array_agg(d.version), array_agg(d.stamp), array_agg(d.held_at)
      INTO outcomes, versions, transaction_ids, v_held_at
      FROM (SELECT CASE WHEN q.tombstoned THEN 'deleted'::${flyway:defaultSchema}.append_outcome
                        WHEN q.held_at IS NOT NULL THEN 'repeated' -- until checked below
                        WHEN q.holds THEN 'written'
                        ELSE 'conflict'
                   END AS outcome,
                   CASE WHEN q.held_at IS NULL AND NOT q.holds THEN q.visible
                        WHEN NOT q.tombstoned THEN q.version
                   END AS version,
                   q.stamp, q.held_at
              FROM (SELECT r.ord, s.tombstoned, s.version, s.last_transaction_id AS stamp, h.version AS held_at,
                           ${flyway:defaultSchema}.visible_version(s.version - r.cnt, s.deleted_through) AS visible,
                           ${flyway:defaultSchema}.expected_version_holds(r.expected, r.expected_version,
                               ${flyway:defaultSchema}.visible_version(s.version - r.cnt, s.deleted_through)) AS holds
                      FROM unnest(p_streams, p_expected, p_versions, p_counts, p_first)
                           WITH ORDINALITY AS r(stream_id, expected, expected_version, cnt, first, ord)
                     CROSS JOIN LATERAL (SELECT s.version, s.deleted_through, s.tombstoned, s.last_transaction_id
                                           FROM ${flyway:defaultSchema}.streams s
                                          WHERE s.stream_id = r.stream_id) AS s
                      -- a stream that had no events holds no retry
                      LEFT JOIN LATERAL (SELECT e.version FROM ${flyway:defaultSchema}.events e
                                          WHERE s.version - r.cnt >= 0 AND NOT s.tombstoned
                                            AND e.stream_id = r.stream_id AND e.event_id = p_event_ids[r.first]
                                          LIMIT 1) AS h ON true) AS q
             ORDER BY q.ord) AS d;

    IF 'written' = ANY (outcomes) THEN
        WITH written AS (
            INSERT INTO ${flyway:defaultSchema}.events
                   (transaction_id, stream_id, version, event_id, type, data, metadata, occurred_at)
            SELECT transaction_ids[x.req], p_streams[x.req], versions[x.req] - p_counts[x.req] + x.idx,
                   x.id, x.type, x.data::json, x.meta::json, x.occurred
              FROM unnest(p_event_request, p_event_index, p_event_ids, p_types, p_data, p_metadata, p_occurred_at)
                   WITH ORDINALITY AS x(req, idx, id, type, data, meta, occurred, ord)
             WHERE outcomes[x.req] = 'written'
             ORDER BY x.ord
            RETURNING events.sequence
        )
        SELECT array_agg(w.sequence) INTO inserted FROM written w;
    END IF;

    IF NOT ('written' = ALL (outcomes)) THEN
        -- filled in, not grown: assigning into a null array would start it at that index
        sequences := array_fill(NULL::bigint, ARRAY[cardinality(p_streams)]);
        event_ids := array_fill(NULL::uuid, ARRAY[cardinality(p_streams)]);
        FOR v_repeat IN
            SELECT x.req,
                   bool_and(e.event_id IS NOT DISTINCT FROM x.id) AS same_ids,
                   (array_agg(x.id ORDER BY x.idx) FILTER (WHERE e.type <> x.type OR e.data::text <> x.data))[1]
                       AS differing,
                   max(e.version) AS version,
                   (array_agg(e.transaction_id ORDER BY x.idx DESC))[1] AS tx,
                   (array_agg(e.sequence ORDER BY x.idx DESC))[1] AS seq
              FROM unnest(p_event_request, p_event_index, p_event_ids, p_types, p_data)
                   AS x(req, idx, id, type, data)
              LEFT JOIN ${flyway:defaultSchema}.events e
                     ON e.stream_id = p_streams[x.req] AND e.version = v_held_at[x.req] + x.idx - 1
             WHERE outcomes[x.req] = 'repeated'
             GROUP BY x.req
        LOOP
            IF NOT v_repeat.same_ids THEN
                outcomes[v_repeat.req] := 'duplicate';
                event_ids[v_repeat.req] := p_event_ids[p_first[v_repeat.req]];
            ELSIF v_repeat.differing IS NOT NULL THEN
                outcomes[v_repeat.req] := 'different';
                event_ids[v_repeat.req] := v_repeat.differing;
            ELSE
                versions[v_repeat.req] := v_repeat.version;
                transaction_ids[v_repeat.req] := v_repeat.tx;
                sequences[v_repeat.req] := v_repeat.seq;
            END IF;
        END LOOP;

        -- an id the stream holds makes a request a duplicate whatever its expected version; a
        -- request that writes meets such ids at the insert, one that does not is looked up here
        FOR v_stored IN
            SELECT DISTINCT ON (x.req) x.req, x.id
              FROM unnest(p_event_request, p_event_index, p_event_ids) AS x(req, idx, id)
              JOIN ${flyway:defaultSchema}.events e ON e.stream_id = p_streams[x.req] AND e.event_id = x.id
             WHERE outcomes[x.req] = 'conflict'
             ORDER BY x.req, x.idx
        LOOP
            outcomes[v_stored.req] := 'duplicate';
            event_ids[v_stored.req] := v_stored.id;
        END LOOP;

        UPDATE ${flyway:defaultSchema}.streams st
           SET version = st.version - u.cnt
          FROM unnest(p_streams, p_counts, outcomes) AS u(s, cnt, outcome)
         WHERE st.stream_id = u.s AND u.outcome NOT IN ('written', 'deleted');
    END IF;
END
$fn$;
