package io.annals.store.sqlite;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.StreamId;
import io.annals.store.EventStoreException;
import io.annals.store.ExpectedVersion;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads an NDJSON export back in. Consecutive lines of one stream with consecutive versions and
 * the same recorded time (one original append) are written together; up to ten thousand lines
 * make one transaction, which a bad or conflicting line rolls back whole. Events the store already
 * holds at the same version are skipped, so importing a file again writes nothing.
 */
final class NdjsonImport {

    private static final int EVENTS_PER_TRANSACTION = 10_000;

    private final SqliteEventStore store;
    private final AppendPreparation preparation;
    private long read;
    private long written;
    private Future<Long> inFlight;

    NdjsonImport(SqliteEventStore store, AppendPreparation preparation) {
        this.store = store;
        this.preparation = preparation;
    }

    /** One line of the file. */
    private record Line(long number, StreamId streamId, long version, EventData event, Instant recordedAt) {
    }

    /** Lines that were one original append. */
    private record Run(List<Long> lines, StreamId streamId, long firstVersion, Instant recordedAt, List<EventData> events) {

        boolean continuedBy(Line line, int maxEvents) {
            return line.streamId().equals(streamId) && line.recordedAt().equals(recordedAt)
                    && line.version() == firstVersion + events.size() && events.size() < maxEvents;
        }

        void add(Line line) {
            lines.add(line.number());
            events.add(line.event());
        }

        long firstLine() {
            return lines.getFirst();
        }
    }

    /** The last text parsed into each repeated value: consecutive lines mostly share stream and times. */
    private String lastStreamText;
    private StreamId lastStream;
    private String lastTimeText;
    private Instant lastTime;

    /**
     * Parses on the caller's thread while the previous transaction commits on another, one
     * transaction in flight at most, so that parsing and writing overlap and commits keep file order.
     */
    ImportResult run(InputStream in) throws IOException {
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try (ExecutorService committer = Executors.newSingleThreadExecutor(
                Thread.ofVirtual().name("annals-sqlite-import").factory())) {
            List<Run> chunk = new ArrayList<>();
            int chunkEvents = 0;
            Run current = null;
            String text;
            long number = 0;
            while ((text = reader.readLine()) != null) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                Line line;
                try {
                    line = parse(text, number);
                } catch (RuntimeException e) {
                    awaitCommit(); // a failure of the lines before this one is reported first
                    throw e;
                }
                read++;
                if (current != null && current.continuedBy(line, EVENTS_PER_TRANSACTION)) {
                    current.add(line);
                } else {
                    current = new Run(new ArrayList<>(), line.streamId(), line.version(), line.recordedAt(), new ArrayList<>());
                    current.add(line);
                    chunk.add(current);
                }
                if (++chunkEvents >= EVENTS_PER_TRANSACTION) {
                    startCommit(committer, chunk);
                    chunk = new ArrayList<>();
                    chunkEvents = 0;
                    current = null;
                }
            }
            startCommit(committer, chunk);
            awaitCommit();
        }
        return new ImportResult(read, written);
    }

    private void startCommit(ExecutorService committer, List<Run> runs) {
        awaitCommit();
        if (!runs.isEmpty()) {
            inFlight = committer.submit(() -> commit(runs));
        }
    }

    private void awaitCommit() {
        Future<Long> commit = inFlight;
        if (commit == null) {
            return;
        }
        inFlight = null;
        try {
            written += commit.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IllegalStateException(e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while importing; the transaction in flight still commits", e);
        }
    }

    private long commit(List<Run> runs) {
        List<WriteOp.Append> appends = new ArrayList<>(runs.size());
        for (Run run : runs) {
            try {
                appends.add(preparation.prepare(run.streamId(), ExpectedVersion.any(), run.events(), run.recordedAt()));
            } catch (EventStoreException e) {
                throw new IllegalArgumentException("line " + run.firstLine() + ": " + e.getMessage(), e);
            }
        }
        return store.inTransaction(transaction -> {
            long count = 0;
            for (int i = 0; i < appends.size(); i++) {
                Run run = runs.get(i);
                try {
                    count += ((WriterTransaction) transaction).importEvents(appends.get(i), run.firstVersion());
                } catch (ImportConflict e) {
                    throw new IllegalArgumentException("line " + run.lines().get(e.index()) + ": " + e.getMessage()
                            + "; nothing of lines " + runs.getFirst().firstLine() + " to "
                            + runs.getLast().lines().getLast() + " was written", e);
                }
            }
            return count;
        });
    }

    private Line parse(String text, long number) {
        try (JsonParser parser = NdjsonExport.JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed(number, "a line must be a JSON object");
            }
            String eventId = null, streamId = null, type = null, data = null, recordedAt = null, occurredAt = null;
            Long version = null;
            Map<String, String> metadata = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "eventId" -> eventId = text(parser, number, field);
                    case "streamId" -> streamId = text(parser, number, field);
                    case "type" -> type = text(parser, number, field);
                    case "recordedAt" -> recordedAt = text(parser, number, field);
                    case "occurredAt" -> occurredAt = text(parser, number, field);
                    case "version" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw malformed(number, "version must be a whole number");
                        }
                        version = parser.getLongValue();
                    }
                    case "data" -> {
                        if (value != JsonToken.START_OBJECT && value != JsonToken.START_ARRAY) {
                            throw malformed(number, "data must be a JSON object or array");
                        }
                        data = copy(parser, text);
                    }
                    case "metadata" -> {
                        if (value != JsonToken.START_OBJECT) {
                            throw malformed(number, "metadata must be an object of strings");
                        }
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String key = parser.currentName();
                            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                                throw malformed(number, "metadata value of '" + key + "' must be a string");
                            }
                            if (metadata == null) {
                                metadata = new TreeMap<>();
                            }
                            metadata.put(key, parser.getText());
                        }
                    }
                    default -> parser.skipChildren(); // fields of later versions are ignored
                }
            }
            if (parser.nextToken() != null) {
                throw malformed(number, "content after the JSON object");
            }
            require(number, "eventId", eventId);
            require(number, "streamId", streamId);
            require(number, "type", type);
            require(number, "data", data);
            require(number, "recordedAt", recordedAt);
            require(number, "version", version);
            if (version < 0) {
                throw malformed(number, "version must not be negative");
            }
            Instant recorded = instant(recordedAt);
            Instant occurred = occurredAt == null ? recorded : instant(occurredAt);
            var event = new EventData(UUID.fromString(eventId), type, data,
                    metadata == null ? Metadata.EMPTY : new Metadata(metadata), occurred);
            return new Line(number, streamId(streamId), version, event, recorded);
        } catch (JsonProcessingException e) {
            throw malformed(number, "not valid JSON: " + e.getOriginalMessage());
        } catch (DateTimeParseException e) {
            throw malformed(number, "a time is not ISO-8601: " + e.getParsedString());
        } catch (IOException e) {
            throw malformed(number, e.getMessage());
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("line ")) {
                throw e;
            }
            throw malformed(number, e.getMessage());
        }
    }

    private static String text(JsonParser parser, long number, String field) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw malformed(number, field + " must be a string");
        }
        return parser.getText();
    }

    /** The value's text exactly as the line has it; the parser has checked it while skipping it. */
    private static String copy(JsonParser parser, String line) throws IOException {
        int start = (int) parser.currentTokenLocation().getCharOffset();
        parser.skipChildren();
        int end = (int) parser.currentLocation().getCharOffset();
        return line.substring(start, end);
    }

    private StreamId streamId(String text) {
        if (!text.equals(lastStreamText)) {
            lastStream = StreamId.of(text);
            lastStreamText = text;
        }
        return lastStream;
    }

    private Instant instant(String text) {
        if (!text.equals(lastTimeText)) {
            lastTime = Instant.parse(text);
            lastTimeText = text;
        }
        return lastTime;
    }

    private static void require(long number, String field, Object value) {
        if (value == null) {
            throw malformed(number, "field " + field + " is missing");
        }
    }

    private static IllegalArgumentException malformed(long number, String problem) {
        return new IllegalArgumentException("line " + number + ": " + problem);
    }
}
