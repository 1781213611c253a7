-- Tags (ADR 0008): on the event row, so that every read returns them, and in event_tags, which
-- a query or an append condition searches by tag and position.
ALTER TABLE ${flyway:defaultSchema}.events ADD COLUMN tags text[];

CREATE TABLE ${flyway:defaultSchema}.event_tags (
    tag            text   NOT NULL,
    transaction_id bigint NOT NULL,
    sequence       bigint NOT NULL,
    CONSTRAINT event_tags_pk PRIMARY KEY (tag, transaction_id, sequence)
);

-- Takes the advisory locks of an append under a condition, in one sorted pass so that appends
-- cannot deadlock: exclusively the keys its condition is checked on, shared those of the events
-- it writes (the append function takes those again, which a holder may). The check runs in the
-- next statement, whose snapshot sees what every earlier holder committed.
CREATE FUNCTION ${flyway:defaultSchema}.lock_for_condition(p_exclusive text[], p_shared text[])
RETURNS void
LANGUAGE plpgsql
AS $fn$
DECLARE
    v_key record;
BEGIN
    FOR v_key IN
        SELECT hashtextextended('${flyway:defaultSchema}:' || n.name, 0) AS key, bool_or(n.exclusive) AS exclusive
          FROM (SELECT e, true FROM unnest(p_exclusive) AS e UNION ALL SELECT s, false FROM unnest(p_shared) AS s)
               AS n(name, exclusive)
         GROUP BY 1
         ORDER BY 1
    LOOP
        IF v_key.exclusive THEN
            PERFORM pg_advisory_xact_lock(v_key.key);
        ELSE
            PERFORM pg_advisory_xact_lock_shared(v_key.key);
        END IF;
    END LOOP;
END
$fn$;

-- The append of V4, which now also stores tags and takes shared locks on the events' types and
-- tags. Unchanged otherwise; V4's version is dropped rather than edited.
DROP FUNCTION ${flyway:defaultSchema}.append_events(
    text[], ${flyway:defaultSchema}.expected_version[], bigint[], int[], int[], int[], int[], uuid[], text[], text[],
    text[], timestamptz[]);

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
    p_tags          text[],
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
    -- Shared locks on the events' types and tags, before any stream lock: an append under a
    -- condition takes the same keys exclusively before its check (ADR 0008), so it waits for
    -- these writers to commit and they wait for it. Sorted, so that writers cannot deadlock.
    PERFORM pg_advisory_xact_lock_shared(k.key)
       FROM (SELECT DISTINCT hashtextextended(n.name, 0) AS key
               FROM (SELECT '${flyway:defaultSchema}:type:' || t FROM unnest(p_types) AS t
                     UNION ALL
                     SELECT '${flyway:defaultSchema}:tag:' || g
                       FROM unnest(p_tags) AS x(joined), unnest(string_to_array(x.joined, E'\n')) AS g) AS n(name)
              ORDER BY 1) AS k;

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
                   (transaction_id, stream_id, version, event_id, type, data, metadata, occurred_at, tags)
            SELECT transaction_ids[x.req], p_streams[x.req], versions[x.req] - p_counts[x.req] + x.idx,
                   x.id, x.type, x.data::json, x.meta::json, x.occurred, string_to_array(x.tags, E'\n')
              FROM unnest(p_event_request, p_event_index, p_event_ids, p_types, p_data, p_metadata, p_occurred_at,
                          p_tags)
                   WITH ORDINALITY AS x(req, idx, id, type, data, meta, occurred, tags, ord)
             WHERE outcomes[x.req] = 'written'
             ORDER BY x.ord
            RETURNING events.transaction_id, events.sequence, events.tags
        ), tagged AS (
            INSERT INTO ${flyway:defaultSchema}.event_tags (tag, transaction_id, sequence)
            SELECT g.tag, w.transaction_id, w.sequence
              FROM written w, unnest(w.tags) AS g(tag)
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
