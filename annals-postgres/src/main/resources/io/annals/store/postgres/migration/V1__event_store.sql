-- One row per stream: the current version and the delete markers. Appends lock this row, which
-- serialises writers of one stream without retries and lets deletes take part in the same check.
-- last_transaction_id is the transaction stamp of the stream's last event: a later writer stamps
-- its events with at least this value, so one stream's versions also rise in the global order.
CREATE TABLE ${flyway:defaultSchema}.streams (
    stream_id       text    PRIMARY KEY,
    version         bigint  NOT NULL DEFAULT -1,
    last_transaction_id bigint NOT NULL DEFAULT 0,
    deleted_through bigint  NOT NULL DEFAULT -1,
    tombstoned      boolean NOT NULL DEFAULT false
);

-- Position = (transaction_id, sequence). transaction_id is the writer's pg_current_xact_id() (an
-- xid8, stored as bigint), raised to the stream's previous stamp when that is higher; readers of
-- all events stay below the oldest running transaction id so no late commit is ever skipped.
-- See docs/adr/0003-global-ordering.md.
CREATE TABLE ${flyway:defaultSchema}.events (
    transaction_id bigint      NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    sequence       bigint      GENERATED ALWAYS AS IDENTITY,
    stream_id      text        NOT NULL,
    version        bigint      NOT NULL,
    event_id       uuid        NOT NULL,
    type           text        NOT NULL,
    data           json        NOT NULL,
    metadata       json,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    occurred_at    timestamptz,
    CONSTRAINT events_position_pk PRIMARY KEY (transaction_id, sequence),
    CONSTRAINT events_stream_version_key UNIQUE (stream_id, version),
    CONSTRAINT events_stream_event_id_key UNIQUE (stream_id, event_id)
);

CREATE TABLE ${flyway:defaultSchema}.snapshots (
    stream_id  text        PRIMARY KEY,
    version    bigint      NOT NULL,
    state_type text        NOT NULL,
    state      text        NOT NULL,
    taken_at   timestamptz NOT NULL
);

-- Appends a batch of requests, each to a distinct stream, in one call. Each request keeps its own
-- expected-version check and result:
-- No NOTIFY here: notifying transactions commit one at a time (see CommitNotifier), so the store
-- notifies right after the commit instead.
--   status 0 written, 1 repeat of an earlier append (nothing written), 2 wrong expected version,
--   3 stream hard-deleted, 4 event id already in the stream from another append.
-- Expected version: >= 0 exact, -1 no stream, -2 any, -3 stream exists.
-- Events are flattened: p_event_request names each event's request (1-based) and p_event_index
-- its place in that request (1-based).
CREATE FUNCTION ${flyway:defaultSchema}.append_events(
    p_streams       text[],
    p_expected      bigint[],
    p_counts        int[],
    p_event_request int[],
    p_event_index   int[],
    p_event_ids     uuid[],
    p_types         text[],
    p_data          text[],
    p_metadata      text[],
    p_occurred_at   timestamptz[])
RETURNS TABLE (request int, status int, version bigint, transaction_id bigint, sequence bigint, event_id uuid)
LANGUAGE plpgsql
-- the statements' shapes never depend on the arguments' values; re-planning them each call costs more than the work
SET plan_cache_mode = force_generic_plan
AS $fn$
DECLARE
    v_count    int := cardinality(p_streams);
    v_xid      bigint;
    v_prev_tx  bigint[];
    v_status   int[];
    v_visible  bigint[];
    v_last     bigint[];
    v_found    bigint[];
    v_first    int[];
    v_result   bigint[];
    v_tx       bigint[];
    v_seq      bigint[];
    v_dup      uuid[];
    v_ids      uuid[];
    v_new_last bigint[];
    v_new_tx   bigint[];
    v_new_seq  bigint[];
    v_version  bigint;
    v_txid     bigint;
    v_sequence bigint;
    i          int;
    k          int;
BEGIN
    -- create missing streams and lock all of them, always in stream order so writers cannot deadlock
    INSERT INTO ${flyway:defaultSchema}.streams AS st (stream_id)
    SELECT s FROM unnest(p_streams) AS s ORDER BY s
    ON CONFLICT (stream_id) DO UPDATE SET version = st.version WHERE false;

    -- a new statement takes a new snapshot: everything committed before our locks is visible now
    SELECT array_agg(CASE
                WHEN st.tombstoned THEN 3
                WHEN f.version IS NOT NULL THEN 1
                WHEN r.expected = -2
                  OR (r.expected = -1 AND st.version <= st.deleted_through)
                  OR (r.expected = -3 AND st.version > st.deleted_through)
                  OR (r.expected >= 0 AND st.version > st.deleted_through AND st.version = r.expected) THEN 0
                ELSE 2 END ORDER BY r.ord),
           array_agg(CASE WHEN st.version > st.deleted_through THEN st.version ELSE -1 END ORDER BY r.ord),
           array_agg(st.version ORDER BY r.ord),
           array_agg(f.version ORDER BY r.ord),
           array_agg(r.first_event::int ORDER BY r.ord),
           array_agg(st.last_transaction_id ORDER BY r.ord)
      INTO v_status, v_visible, v_last, v_found, v_first, v_prev_tx
      FROM (SELECT u.stream_id, u.expected, u.ord,
                   sum(u.cnt) OVER (ORDER BY u.ord) - u.cnt + 1 AS first_event
              FROM unnest(p_streams, p_expected, p_counts) WITH ORDINALITY AS u(stream_id, expected, cnt, ord)) AS r
      -- LIMIT 1 keeps both lookups as index probes per request, never a join over whole tables
      CROSS JOIN LATERAL (SELECT s.version, s.deleted_through, s.tombstoned, s.last_transaction_id
                            FROM ${flyway:defaultSchema}.streams s
                           WHERE s.stream_id = r.stream_id LIMIT 1) AS st
      LEFT JOIN LATERAL (SELECT e.version
                           FROM ${flyway:defaultSchema}.events e
                          WHERE e.stream_id = r.stream_id AND e.event_id = p_event_ids[r.first_event::int]
                          LIMIT 1) AS f ON true;

    v_result := array_fill(NULL::bigint, ARRAY[v_count]);
    v_tx := array_fill(NULL::bigint, ARRAY[v_count]);
    v_seq := array_fill(NULL::bigint, ARRAY[v_count]);
    v_dup := array_fill(NULL::uuid, ARRAY[v_count]);

    -- rare path: the first event id is already there; a retry must repeat the earlier append exactly
    FOR i IN SELECT u.ord FROM unnest(v_status) WITH ORDINALITY AS u(status, ord) WHERE u.status = 1 LOOP
        SELECT array_agg(e.event_id ORDER BY e.version) INTO v_ids
          FROM ${flyway:defaultSchema}.events e
         WHERE e.stream_id = p_streams[i]
           AND e.version BETWEEN v_found[i] AND v_found[i] + p_counts[i] - 1;
        FOR k IN 1 .. p_counts[i] LOOP
            IF v_ids IS NULL OR cardinality(v_ids) < k OR v_ids[k] <> p_event_ids[v_first[i] + k - 1] THEN
                v_status[i] := 4;
                v_dup[i] := p_event_ids[v_first[i] + k - 1];
                EXIT;
            END IF;
        END LOOP;
        IF v_status[i] = 1 THEN
            SELECT e.version, e.transaction_id, e.sequence INTO v_version, v_txid, v_sequence
              FROM ${flyway:defaultSchema}.events e
             WHERE e.stream_id = p_streams[i] AND e.version = v_found[i] + p_counts[i] - 1;
            v_result[i] := v_version;
            v_tx[i] := v_txid;
            v_seq[i] := v_sequence;
        END IF;
    END LOOP;

    IF 0 = ANY (v_status) THEN
        v_xid := pg_current_xact_id()::text::bigint;
        WITH inserted AS (
            INSERT INTO ${flyway:defaultSchema}.events
                   (transaction_id, stream_id, version, event_id, type, data, metadata, occurred_at)
            -- joined, not subscripted: a subscript into a text array walks it, which made large batches quadratic
            SELECT greatest(v_xid, r.prev_tx), r.stream_id, r.last + x.idx, x.id, x.type,
                   x.data::json, x.meta::json, x.occurred
              FROM unnest(p_event_request, p_event_index, p_event_ids, p_types, p_data, p_metadata, p_occurred_at)
                   WITH ORDINALITY AS x(req, idx, id, type, data, meta, occurred, ord)
              JOIN unnest(p_streams, v_status, v_last, v_prev_tx) WITH ORDINALITY AS r(stream_id, status, last, prev_tx, ord)
                ON r.ord = x.req
             WHERE r.status = 0
             ORDER BY x.ord
            RETURNING events.stream_id, events.version, events.transaction_id, events.sequence
        ), last_of_stream AS (
            SELECT DISTINCT ON (ins.stream_id) ins.stream_id, ins.version, ins.transaction_id, ins.sequence
              FROM inserted ins
             ORDER BY ins.stream_id, ins.version DESC
        ), advanced AS (
            UPDATE ${flyway:defaultSchema}.streams st
               SET version = l.version, last_transaction_id = l.transaction_id
              FROM last_of_stream l
             WHERE st.stream_id = l.stream_id AND st.stream_id = ANY (p_streams)
        )
        SELECT array_agg(l.version ORDER BY u.ord), array_agg(l.transaction_id ORDER BY u.ord),
               array_agg(l.sequence ORDER BY u.ord)
          INTO v_new_last, v_new_tx, v_new_seq
          FROM unnest(p_streams) WITH ORDINALITY AS u(stream_id, ord)
          LEFT JOIN last_of_stream l ON l.stream_id = u.stream_id;
    END IF;

    RETURN QUERY
        SELECT u.ord::int, u.status,
               CASE u.status WHEN 0 THEN u.new_last WHEN 2 THEN u.visible ELSE u.result END,
               CASE u.status WHEN 0 THEN u.new_tx ELSE u.tx END,
               CASE u.status WHEN 0 THEN u.new_seq ELSE u.seq END,
               u.dup
          FROM unnest(v_status, v_visible, v_result, v_tx, v_seq, v_dup, v_new_last, v_new_tx, v_new_seq)
               WITH ORDINALITY AS u(status, visible, result, tx, seq, dup, new_last, new_tx, new_seq, ord);
END
$fn$;
