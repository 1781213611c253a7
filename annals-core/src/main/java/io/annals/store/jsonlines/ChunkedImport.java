package io.annals.store.jsonlines;

import java.io.IOException;
import java.io.InputStream;
import io.annals.event.StreamId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The import loop every store shares: reads lines on the caller's thread and hands them to the
 * store in chunks, in which each stream's event lines have consecutive versions and distinct
 * event ids (a line that breaks this is refused here), each written in one transaction on another thread while the next chunk is
 * read, one chunk in flight at most, so that reading and writing overlap and chunks commit in
 * file order. The first failure stops it, with what was committed before.
 */
public final class ChunkedImport {

    /** Writes one chunk in one transaction, all of it or nothing. */
    @FunctionalInterface
    public interface ChunkWriter {
        /**
         * @throws InvalidLineException naming a line the store cannot take (the chunk is not written)
         */
        ImportResult write(List<JsonLine> chunk);
    }

    private record StreamEvent(StreamId streamId, UUID eventId) {
    }

    private final ChunkWriter writer;
    private final int linesPerChunk;
    private ImportResult committed = ImportResult.NONE;
    private Future<ImportResult> inFlight;
    private long inFlightFirstLine;

    private ChunkedImport(ChunkWriter writer, int linesPerChunk) {
        this.writer = writer;
        this.linesPerChunk = linesPerChunk;
    }

    /**
     * Imports {@code in} through {@code writer}, {@code linesPerChunk} lines per chunk.
     *
     * @throws ImportFailedException naming the line it stopped at and what was committed before it
     */
    public static ImportResult run(InputStream in, int linesPerChunk, ChunkWriter writer) {
        if (linesPerChunk < 1) {
            throw new IllegalArgumentException("linesPerChunk must be positive, got " + linesPerChunk);
        }
        return new ChunkedImport(writer, linesPerChunk).run(new JsonLinesReader(in));
    }

    private ImportResult run(JsonLinesReader reader) {
        try (ExecutorService committer = Executors.newSingleThreadExecutor(
                Thread.ofVirtual().name("annals-import").factory())) {
            List<JsonLine> chunk = new ArrayList<>(linesPerChunk);
            Map<StreamId, Long> lastVersions = new HashMap<>();
            Set<StreamEvent> ids = new HashSet<>();
            while (true) {
                JsonLine line;
                try {
                    line = reader.next();
                    if (line instanceof JsonLine.Event event) {
                        Long previous = lastVersions.put(event.streamId(), event.version());
                        if (previous != null && event.version() != previous + 1) {
                            throw ImportConflicts.notFollowing(event, previous);
                        }
                        if (!ids.add(new StreamEvent(event.streamId(), event.event().eventId()))) {
                            throw ImportConflicts.idStored(event);
                        }
                    }
                } catch (InvalidLineException e) {
                    awaitCommit(); // a failure of the lines before this one is reported first
                    throw new ImportFailedException(e.line(), e.problem(), committed, e);
                } catch (IOException e) {
                    awaitCommit();
                    throw new ImportFailedException(reader.lineNumber() + 1, "the input could not be read: " + e.getMessage(),
                            committed, e);
                }
                if (line == null) {
                    break;
                }
                chunk.add(line);
                if (chunk.size() == linesPerChunk) {
                    startCommit(committer, chunk);
                    chunk = new ArrayList<>(linesPerChunk);
                    lastVersions.clear();
                    ids.clear();
                }
            }
            startCommit(committer, chunk);
            awaitCommit();
        }
        return committed;
    }

    private void startCommit(ExecutorService committer, List<JsonLine> chunk) {
        awaitCommit();
        if (!chunk.isEmpty()) {
            inFlightFirstLine = chunk.getFirst().number();
            inFlight = committer.submit(() -> writer.write(chunk));
        }
    }

    private void awaitCommit() {
        Future<ImportResult> commit = inFlight;
        if (commit == null) {
            return;
        }
        inFlight = null;
        try {
            committed = committed.plus(commit.get());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw switch (e.getCause()) {
                case InvalidLineException invalid ->
                        new ImportFailedException(invalid.line(), invalid.problem(), committed, invalid);
                case RuntimeException failure ->
                        new ImportFailedException(inFlightFirstLine, "the chunk from this line on failed: "
                                + failure.getMessage(), committed, failure);
                default -> new IllegalStateException(e.getCause());
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImportFailedException(inFlightFirstLine,
                    "interrupted; the chunk from this line on commits or not, on its own", committed, e);
        }
    }
}
