package io.annals.bench.subject;

import io.annals.bench.workload.BenchEvent;
import io.annals.bench.workload.StreamChunk;
import java.io.OutputStream;
import java.util.List;

/**
 * One way of storing events that a case measures: Annals, raw JDBC or Axon, set up in its own
 * fresh schema or file. A case uses the roles below that the subject implements.
 */
public interface BenchSubject extends AutoCloseable {

    /** Appends one event in its own transaction. */
    interface SingleAppender {
        void appendOne(String streamId, long version, BenchEvent event) throws Exception;
    }

    /** Appends several events to one stream in one transaction. */
    interface BatchAppender {
        void appendBatch(StreamChunk chunk) throws Exception;
    }

    /** Loads many streams at once, the way its system imports data fastest. */
    interface BulkImporter {
        /**
         * Turns the events into the system's import format (COPY text, JSON lines), unmeasured, and
         * returns the load itself, which the import case times.
         */
        PreparedImport prepareImport(List<StreamChunk> chunks) throws Exception;

        default void importAll(List<StreamChunk> chunks) throws Exception {
            prepareImport(chunks).run();
        }
    }

    /** An import ready to load. */
    @FunctionalInterface
    interface PreparedImport {
        void run() throws Exception;
    }

    /** Reads events in global order from the beginning, returning how many it saw. */
    interface AllEventsScanner {
        /** Stops once it has seen at least {@code stopAfter} events or reached the end. */
        long scanAll(long stopAfter) throws Exception;
    }

    /** Writes every event, in global order, as JSON lines, returning how many it wrote. */
    interface Exporter {
        long exportAll(OutputStream out) throws Exception;
    }

    /** Reads one whole stream, returning how many events it has. */
    interface StreamLoader {
        int loadStream(String streamId) throws Exception;
    }

    /** Drops what the subject created and releases its connections. */
    @Override
    void close() throws Exception;
}
