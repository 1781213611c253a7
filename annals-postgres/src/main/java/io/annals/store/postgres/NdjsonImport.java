package io.annals.store.postgres;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.store.InvalidAppendException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Loads an NDJSON export with COPY in one transaction. Rows get positions in file order. Each
 * stream's versions must be consecutive in the file and continue where the stream ends in the
 * store; any bad line fails the whole import with its line number, and nothing is written.
 */
final class NdjsonImport {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int CHUNK_BYTES = 1 << 16;
    private static final String STAMP = "pg_current_xact_id()::text::bigint";

    /** How many events were imported, and the importing transaction's stamp (their positions' first part). */
    record Result(long count, long stamp) {
    }

    private final DataSource dataSource;
    private final String copySql;
    private final String lockSql;
    private final String checkSql;
    private final String advanceSql;
    private final String stampSql = "SELECT " + STAMP;

    NdjsonImport(DataSource dataSource, SchemaName schema) {
        this.dataSource = dataSource;
        String streams = schema.qualify("streams");
        this.copySql = "COPY " + schema.qualify("events")
                + " (stream_id, version, event_id, type, data, metadata, recorded_at, occurred_at) FROM STDIN";
        this.lockSql = "INSERT INTO " + streams + " AS st (stream_id) SELECT s FROM unnest(?::text[]) s ORDER BY s"
                + " ON CONFLICT (stream_id) DO UPDATE SET version = st.version WHERE false";
        this.checkSql = "SELECT f.stream_id, st.version, st.tombstoned FROM unnest(?::text[], ?::bigint[]) AS f(stream_id, first)"
                + " JOIN " + streams + " st ON st.stream_id = f.stream_id"
                + " WHERE st.tombstoned OR st.version + 1 <> f.first LIMIT 1";
        this.advanceSql = "UPDATE " + streams + " st SET version = f.last,"
                + " last_transaction_id = greatest(st.last_transaction_id, pg_current_xact_id()::text::bigint)"
                + " FROM unnest(?::text[], ?::bigint[])"
                + " AS f(stream_id, last) WHERE st.stream_id = f.stream_id";
    }

    /** First and last version of one stream in the file. */
    private static final class Span {
        final long first;
        long last;

        Span(long first) {
            this.first = first;
            this.last = first;
        }
    }

    Result run(Reader ndjson) throws IOException {
        var spans = new Spans();
        long count = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
                try {
                    var buffer = new StringBuilder(CHUNK_BYTES + 4096);
                    var lines = new BufferedReader(ndjson, 1 << 16);
                    String line;
                    long lineNumber = 0;
                    while ((line = lines.readLine()) != null) {
                        lineNumber++;
                        if (line.isBlank()) {
                            continue;
                        }
                        ImportedEvent event = parse(line, lineNumber);
                        spans.track(event, lineNumber);
                        event.appendCopyRow(buffer);
                        count++;
                        if (buffer.length() >= CHUNK_BYTES) {
                            flush(copy, buffer);
                        }
                    }
                    flush(copy, buffer);
                    copy.endCopy();
                } finally {
                    if (copy.isActive()) {
                        copy.cancelCopy();
                    }
                }
                checkAndAdvanceStreams(connection, spans.byStream);
                long stamp = stamp(connection);
                connection.commit();
                return new Result(count, stamp);
            } catch (SQLException | RuntimeException | IOException e) {
                StreamDeletes.rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            if (SqlFailures.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new InvalidAppendException("import would overwrite events already in the store: " + e.getMessage());
            }
            if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
                throw new InvalidAppendException("PostgreSQL refused the import: " + e.getMessage());
            }
            throw SqlFailures.unavailable("import failed; nothing was written", e);
        }
    }

    private long stamp(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(stampSql);
             ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Each stream's versions in the file, checked to follow each other line by line. */
    private static final class Spans {
        final Map<String, Span> byStream = new HashMap<>();
        /** An export holds each stream's events in runs: a line of the previous line's stream skips the map. */
        private String lastStream;
        private Span lastSpan;

        void track(ImportedEvent event, long lineNumber) {
            Span span = event.streamId().equals(lastStream) ? lastSpan : byStream.get(event.streamId());
            if (span == null) {
                span = new Span(event.version());
                byStream.put(event.streamId(), span);
            } else if (event.version() != span.last + 1) {
                throw new InvalidAppendException("line " + lineNumber + ": stream " + event.streamId() + " has version "
                        + event.version() + " after version " + span.last + "; versions must follow each other");
            } else {
                span.last = event.version();
            }
            lastStream = event.streamId();
            lastSpan = span;
        }
    }

    private void checkAndAdvanceStreams(Connection connection, Map<String, Span> spans) throws SQLException {
        if (spans.isEmpty()) {
            return;
        }
        var sorted = new TreeMap<>(spans);
        String[] streams = sorted.keySet().toArray(String[]::new);
        Long[] firsts = sorted.values().stream().map(span -> span.first).toArray(Long[]::new);
        Long[] lasts = sorted.values().stream().map(span -> span.last).toArray(Long[]::new);
        try (PreparedStatement lock = connection.prepareStatement(lockSql)) {
            lock.setArray(1, connection.createArrayOf("text", streams));
            lock.executeUpdate();
        }
        try (PreparedStatement check = connection.prepareStatement(checkSql)) {
            check.setArray(1, connection.createArrayOf("text", streams));
            check.setArray(2, connection.createArrayOf("int8", firsts));
            try (ResultSet bad = check.executeQuery()) {
                if (bad.next()) {
                    String stream = bad.getString(1);
                    throw new InvalidAppendException(bad.getBoolean(3)
                            ? "import holds events of stream " + stream + ", which is deleted"
                            : "import starts stream " + stream + " at version " + spans.get(stream).first
                                    + " but the store holds it up to version " + bad.getLong(2));
                }
            }
        }
        try (PreparedStatement advance = connection.prepareStatement(advanceSql)) {
            advance.setArray(1, connection.createArrayOf("text", streams));
            advance.setArray(2, connection.createArrayOf("int8", lasts));
            advance.executeUpdate();
        }

    }

    private static void flush(CopyIn copy, StringBuilder buffer) throws SQLException {
        if (!buffer.isEmpty()) {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }
    }

    /** One line of the import; the instants as COPY text, ISO-8601 in UTC. */
    private record ImportedEvent(String streamId, long version, UUID eventId, String type, String data,
                                 String metadata, String recordedAt, String occurredAt) {

        void appendCopyRow(StringBuilder row) {
            escape(row, streamId).append('\t').append(version).append('\t').append(eventId).append('\t');
            escape(row, type).append('\t');
            escape(row, data).append('\t');
            if (metadata == null) {
                row.append("\\N");
            } else {
                escape(row, metadata);
            }
            row.append('\t').append(recordedAt).append('\t').append(occurredAt).append('\n');
        }

        /** COPY text escaping; runs of plain characters are copied in bulk, as nearly every value is one run. */
        private static StringBuilder escape(StringBuilder row, String value) {
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
                    row.append(value, plainFrom, i).append(escaped);
                    plainFrom = i + 1;
                }
            }
            return row.append(value, plainFrom, value.length());
        }
    }

    private static ImportedEvent parse(String line, long lineNumber) {
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid(lineNumber, "is not a JSON object");
            }
            String streamId = null;
            Long version = null;
            UUID eventId = null;
            String type = null;
            String data = null;
            String metadata = null;
            String recordedAt = null;
            String occurredAt = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "eventId" -> eventId = uuid(text(parser, value, field, lineNumber), lineNumber);
                    case "streamId" -> streamId = text(parser, value, field, lineNumber);
                    case "version" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw invalid(lineNumber, "version must be an integer");
                        }
                        version = parser.getLongValue();
                    }
                    case "type" -> type = text(parser, value, field, lineNumber);
                    case "data" -> data = rawValue(line, parser, value, lineNumber);
                    case "metadata" -> metadata = metadata(parser, value, lineNumber);
                    case "recordedAt" -> recordedAt = instant(text(parser, value, field, lineNumber), field, lineNumber);
                    case "occurredAt" -> occurredAt = value == JsonToken.VALUE_NULL ? null
                            : instant(text(parser, value, field, lineNumber), field, lineNumber);
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw invalid(lineNumber, "has content after the JSON object");
            }
            if (streamId == null || version == null || eventId == null || type == null || data == null || recordedAt == null) {
                throw invalid(lineNumber, "needs eventId, streamId, version, type, data and recordedAt");
            }
            if (!StreamId.isValid(streamId)) {
                throw invalid(lineNumber, "stream id '" + streamId + "' is not valid");
            }
            if (version < 0) {
                throw invalid(lineNumber, "version must not be negative");
            }
            if (type.isBlank() || type.length() > EventData.MAX_TYPE_LENGTH) {
                throw invalid(lineNumber, "type must be 1 to " + EventData.MAX_TYPE_LENGTH + " non-blank characters");
            }
            if (data.contains("\\u0000")) {
                throw invalid(lineNumber, "data contains the escape \\u0000, which is not supported");
            }
            return new ImportedEvent(streamId, version, eventId, type, data, metadata, recordedAt,
                    occurredAt == null ? recordedAt : occurredAt);
        } catch (JsonProcessingException e) {
            throw invalid(lineNumber, "is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid(lineNumber, "could not be read: " + e.getMessage());
        }
    }

    private static String rawValue(String line, JsonParser parser, JsonToken value, long lineNumber) throws IOException {
        if (value != JsonToken.START_OBJECT && value != JsonToken.START_ARRAY) {
            throw invalid(lineNumber, "data must be a JSON object or array");
        }
        int start = (int) parser.currentTokenLocation().getCharOffset();
        parser.skipChildren();
        int end = (int) parser.currentLocation().getCharOffset();
        return line.substring(start, end);
    }

    private static String metadata(JsonParser parser, JsonToken value, long lineNumber) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_OBJECT) {
            throw invalid(lineNumber, "metadata must be a JSON object of strings");
        }
        var values = new TreeMap<String, String>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw invalid(lineNumber, "metadata value of " + key + " must be a string");
            }
            values.put(key, parser.getText());
        }
        return values.isEmpty() ? null : MetadataJson.write(new io.annals.event.Metadata(values));
    }

    private static String text(JsonParser parser, JsonToken value, String field, long lineNumber) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw invalid(lineNumber, field + " must be a string");
        }
        return parser.getText();
    }

    private static UUID uuid(String text, long lineNumber) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw invalid(lineNumber, "eventId '" + text + "' is not a UUID");
        }
    }

    /** The instant as COPY text: the text itself when it is already ISO-8601 in UTC, as exports write it. */
    private static String instant(String text, String field, long lineNumber) {
        try {
            return IsoInstants.parseUtc(text) != null ? text : Instant.parse(text).toString();
        } catch (DateTimeParseException e) {
            throw invalid(lineNumber, field + " '" + text + "' is not an ISO-8601 instant");
        }
    }

    private static InvalidAppendException invalid(long lineNumber, String problem) {
        return new InvalidAppendException("line " + lineNumber + " of the import " + problem);
    }
}
