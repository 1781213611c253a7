package io.annals.store.postgres;

import io.annals.event.EventData;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.store.DeleteMode;
import io.annals.store.jsonlines.ImportConflicts;
import io.annals.store.jsonlines.ImportResult;
import io.annals.store.jsonlines.InvalidLineException;
import io.annals.store.jsonlines.IsoInstants;
import io.annals.store.jsonlines.JsonLine;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.util.PSQLException;

/**
 * Writes a chunk of imported lines in one transaction: locks the chunk's streams, decides from
 * their versions which events are new and which the store holds already (those are compared and
 * skipped), loads the new ones with COPY in file order, advances the streams and applies the
 * deletions.
 */
final class ImportChunks {

    /** PostgreSQL keeps instants to the microsecond. */
    private static final Duration PRECISION = Duration.ofNanos(1_000);
    private static final int COPY_CHUNK_CHARS = 1 << 16;
    /** Where a failed COPY names the row it refused. */
    private static final Pattern COPY_ROW = Pattern.compile("COPY \\S+, line (\\d+)");

    private final DataSource dataSource;
    private final LongConsumer onCommit;
    private final String lockSql;
    private final String stateSql;
    private final String storedSql;
    private final String copySql;
    private final String advanceSql;
    private final String tagIndexSql;
    private final String softDeleteSql;
    private final String hardDeleteSql;
    private final String stampSql = "SELECT pg_current_xact_id()::text::bigint";

    /**
     * @param onCommit told the committing transaction's stamp (its positions' first part) after a
     *                 chunk that wrote events commits
     */
    ImportChunks(DataSource dataSource, SchemaName schema, LongConsumer onCommit) {
        this.dataSource = dataSource;
        this.onCommit = onCommit;
        String streams = schema.qualify("streams");
        String events = schema.qualify("events");
        this.lockSql = "INSERT INTO " + streams + " AS st (stream_id) SELECT s FROM unnest(?::text[]) s ORDER BY s"
                + " ON CONFLICT (stream_id) DO UPDATE SET version = st.version WHERE false";
        this.stateSql = "SELECT stream_id, version, tombstoned FROM " + streams + " WHERE stream_id = ANY (?::text[])";
        this.storedSql = "SELECT false, " + EventReads.EVENT_COLUMNS + " FROM unnest(?::text[], ?::bigint[]) AS f(stream_id, version)"
                + " JOIN " + events + " e ON e.stream_id = f.stream_id AND e.version = f.version";
        this.copySql = "COPY " + events
                + " (stream_id, version, event_id, type, data, metadata, recorded_at, occurred_at, tags) FROM STDIN";
        // the copied rows carry this transaction's stamp (the column's default), which the primary key leads with
        this.tagIndexSql = "INSERT INTO " + schema.qualify("event_tags") + " (tag, transaction_id, sequence)"
                + " SELECT g.tag, e.transaction_id, e.sequence FROM " + events + " e, unnest(e.tags) AS g(tag)"
                + " WHERE e.transaction_id = pg_current_xact_id()::text::bigint AND e.tags IS NOT NULL"
                + " ON CONFLICT DO NOTHING";
        this.advanceSql = "UPDATE " + streams + " st SET version = f.last,"
                + " last_transaction_id = greatest(st.last_transaction_id, pg_current_xact_id()::text::bigint)"
                + " FROM unnest(?::text[], ?::bigint[]) AS f(stream_id, last) WHERE st.stream_id = f.stream_id";
        this.softDeleteSql = "UPDATE " + streams + " SET deleted_through = greatest(deleted_through, ?) WHERE stream_id = ?";
        this.hardDeleteSql = "UPDATE " + streams + " SET tombstoned = true WHERE stream_id = ?";
    }

    /** What the store holds of a stream, as the chunk's transaction found it. */
    private record Stored(long version, boolean tombstoned) {
        static final Stored NONE = new Stored(-1, false);
    }

    ImportResult write(List<JsonLine> chunk) {
        var streams = new TreeSet<String>();
        for (JsonLine line : chunk) {
            streams.add(line.streamId().value());
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                String[] streamArray = streams.toArray(String[]::new);
                try (PreparedStatement lock = connection.prepareStatement(lockSql)) {
                    lock.setArray(1, connection.createArrayOf("text", streamArray));
                    lock.executeUpdate();
                }
                Map<String, Stored> stored = stored(connection, streamArray);
                var fresh = new ArrayList<JsonLine.Event>(chunk.size());
                var existing = new ArrayList<JsonLine.Event>();
                var deletions = new ArrayList<JsonLine.Deletion>();
                var lastVersions = new LinkedHashMap<String, Long>();
                for (JsonLine line : chunk) {
                    switch (line) {
                        case JsonLine.Event event -> {
                            Stored stream = stored.getOrDefault(event.streamId().value(), Stored.NONE);
                            Long previous = lastVersions.put(event.streamId().value(), event.version());
                            if (event.version() <= stream.version()) {
                                existing.add(event);
                            } else if (previous == null && event.version() > stream.version() + 1) {
                                throw ImportConflicts.gap(event, stream.version());
                            } else if (stream.tombstoned()) {
                                throw ImportConflicts.tombstoned(event);
                            } else {
                                fresh.add(event);
                            }
                        }
                        case JsonLine.Deletion deletion -> deletions.add(deletion);
                    }
                }
                compare(connection, existing);
                copy(connection, fresh);
                indexTags(connection, fresh);
                advance(connection, fresh);
                applyDeletions(connection, deletions, stored, lastVersions);
                long stamp = fresh.isEmpty() ? 0 : stamp(connection);
                connection.commit();
                if (!fresh.isEmpty()) {
                    onCommit.accept(stamp);
                }
                return new ImportResult(fresh.size(), existing.size(), deletions.size());
            } catch (SQLException | RuntimeException e) {
                StreamDeletes.rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw SqlFailures.unavailable("import of the chunk from line " + chunk.getFirst().number() + " failed", e);
        }
    }

    private Map<String, Stored> stored(Connection connection, String[] streams) throws SQLException {
        var stored = new HashMap<String, Stored>(streams.length * 2);
        try (PreparedStatement statement = connection.prepareStatement(stateSql)) {
            statement.setArray(1, connection.createArrayOf("text", streams));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    stored.put(rows.getString(1), new Stored(rows.getLong(2), rows.getBoolean(3)));
                }
            }
        }
        return stored;
    }

    /** Refuses unless the store holds exactly the events of these lines at their versions. */
    private void compare(Connection connection, List<JsonLine.Event> existing) throws SQLException {
        if (existing.isEmpty()) {
            return;
        }
        var wanted = new HashMap<String, JsonLine.Event>(existing.size() * 2);
        for (JsonLine.Event line : existing) {
            wanted.put(key(line.streamId().value(), line.version()), line);
        }
        try (PreparedStatement statement = connection.prepareStatement(storedSql)) {
            statement.setArray(1, connection.createArrayOf("text",
                    existing.stream().map(line -> line.streamId().value()).toArray()));
            statement.setArray(2, connection.createArrayOf("int8", existing.stream().map(JsonLine.Event::version).toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    RecordedEvent event = EventReads.event(rows, StreamId.of(rows.getString(2)));
                    JsonLine.Event line = wanted.get(key(event.streamId().value(), event.version()));
                    String difference = line.differenceFrom(event, PRECISION);
                    if (difference != null) {
                        throw ImportConflicts.changed(line, difference);
                    }
                }
            }
        }
    }

    private static String key(String streamId, long version) {
        return streamId + "@" + version;
    }

    /**
     * COPY of the new events in file order, so that their positions follow the file. A row
     * PostgreSQL refuses is named by its line: COPY reports the row's number.
     */
    private void copy(Connection connection, List<JsonLine.Event> fresh) throws SQLException {
        if (fresh.isEmpty()) {
            return;
        }
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            var rows = new CopyRows();
            for (JsonLine.Event event : fresh) {
                rows.append(event);
                if (rows.length() >= COPY_CHUNK_CHARS) {
                    rows.writeTo(copy);
                }
            }
            rows.writeTo(copy);
            copy.endCopy();
        } catch (PSQLException e) {
            JsonLine.Event line = refusedRow(e, fresh);
            if (line == null) {
                throw e;
            }
            if (SqlFailures.isUniqueViolation(e, SqlFailures.EVENT_ID_CONSTRAINT)) {
                throw ImportConflicts.idStored(line);
            }
            throw new InvalidLineException(line.number(), "PostgreSQL refused it: " + e.getServerErrorMessage().getMessage(), e);
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** The line of the row a failed COPY names, or null when it names none (the failure is not the data's). */
    private static JsonLine.Event refusedRow(PSQLException e, List<JsonLine.Event> rows) {
        if (e.getServerErrorMessage() == null || e.getServerErrorMessage().getWhere() == null
                || !(e.getSQLState().startsWith("22") || e.getSQLState().startsWith("23"))) {
            return null;
        }
        Matcher row = COPY_ROW.matcher(e.getServerErrorMessage().getWhere());
        if (!row.find()) {
            return null;
        }
        int index = Integer.parseInt(row.group(1)) - 1;
        return index >= 0 && index < rows.size() ? rows.get(index) : null;
    }

    /** Enters the tags of the events just copied into the tag index that queries search. */
    private void indexTags(Connection connection, List<JsonLine.Event> fresh) throws SQLException {
        if (fresh.stream().allMatch(line -> line.event().tags().isEmpty())) {
            return;
        }
        try (PreparedStatement index = connection.prepareStatement(tagIndexSql)) {
            index.executeUpdate();
        }
    }

    private void advance(Connection connection, List<JsonLine.Event> fresh) throws SQLException {
        if (fresh.isEmpty()) {
            return;
        }
        var lasts = new TreeMap<String, Long>();
        for (JsonLine.Event event : fresh) {
            lasts.put(event.streamId().value(), event.version());
        }
        try (PreparedStatement advance = connection.prepareStatement(advanceSql)) {
            advance.setArray(1, connection.createArrayOf("text", lasts.keySet().toArray()));
            advance.setArray(2, connection.createArrayOf("int8", lasts.values().toArray()));
            advance.executeUpdate();
        }
    }

    /** Deletions come after their stream's events in a file, so after this chunk's events. */
    private void applyDeletions(Connection connection, List<JsonLine.Deletion> deletions, Map<String, Stored> stored,
                                Map<String, Long> lastVersions) throws SQLException {
        for (JsonLine.Deletion deletion : deletions) {
            String streamId = deletion.streamId().value();
            if (deletion.mode() == DeleteMode.SOFT) {
                long last = Math.max(lastVersions.getOrDefault(streamId, -1L),
                        stored.getOrDefault(streamId, Stored.NONE).version());
                if (deletion.throughVersion() > last) {
                    throw ImportConflicts.hidesMissing(deletion, last);
                }
                try (PreparedStatement soft = connection.prepareStatement(softDeleteSql)) {
                    soft.setLong(1, deletion.throughVersion());
                    soft.setString(2, streamId);
                    soft.executeUpdate();
                }
            } else {
                try (PreparedStatement hard = connection.prepareStatement(hardDeleteSql)) {
                    hard.setString(1, streamId);
                    hard.executeUpdate();
                }
            }
        }
    }

    private long stamp(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(stampSql);
             ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Rows in COPY's text format; the instants as {@link Instant#toString} writes them, which PostgreSQL reads. */
    private static final class CopyRows {
        private final StringBuilder text = new StringBuilder(COPY_CHUNK_CHARS + 4096);
        /** Consecutive rows mostly share their instants. */
        private Instant lastInstant;
        private String lastInstantText;

        void append(JsonLine.Event line) {
            EventData event = line.event();
            escape(line.streamId().value()).append('\t').append(line.version()).append('\t').append(event.eventId()).append('\t');
            escape(event.type()).append('\t');
            escape(event.data()).append('\t');
            String metadata = MetadataJson.write(event.metadata());
            if (metadata == null) {
                text.append("\\N");
            } else {
                escape(metadata);
            }
            text.append('\t').append(instant(line.recordedAt())).append('\t').append(instant(event.occurredAt())).append('\t');
            if (event.tags().isEmpty()) {
                text.append("\\N");
            } else {
                escape(arrayLiteral(event.tags()));
            }
            text.append('\n');
        }

        int length() {
            return text.length();
        }

        /** A text[] literal: every element quoted, its quotes and backslashes escaped. */
        private static String arrayLiteral(Set<Tag> tags) {
            var literal = new StringBuilder("{");
            for (Tag tag : tags) {
                if (literal.length() > 1) {
                    literal.append(',');
                }
                literal.append('"').append(tag.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            return literal.append('}').toString();
        }

        void writeTo(CopyIn copy) throws SQLException {
            if (!text.isEmpty()) {
                byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
                text.setLength(0);
            }
        }

        private String instant(Instant instant) {
            if (!instant.equals(lastInstant)) {
                lastInstantText = IsoInstants.format(instant);
                lastInstant = instant;
            }
            return lastInstantText;
        }

        /** COPY text escaping; runs of plain characters are copied in bulk, as nearly every value is one run. */
        private StringBuilder escape(String value) {
            int plainFrom = 0;
            for (int i = 0; i < value.length(); i++) {
                String escaped = switch (value.charAt(i)) {
                    case '\\' -> "\\\\";
                    case '\t' -> "\\t";
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    default -> null;
                };
                if (escaped != null) {
                    text.append(value, plainFrom, i).append(escaped);
                    plainFrom = i + 1;
                }
            }
            return text.append(value, plainFrom, value.length());
        }
    }
}
