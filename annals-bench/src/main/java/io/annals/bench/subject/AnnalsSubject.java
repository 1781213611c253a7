package io.annals.bench.subject;

import io.annals.bench.workload.BenchEvent;
import io.annals.bench.workload.StreamChunk;
import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Annals through its public SPI, {@link EventStore}, exactly as an application uses it: appends
 * state the expected version, reads page through {@code readAll} and {@code readStream}.
 */
public final class AnnalsSubject implements BenchSubject, BenchSubject.SingleAppender, BenchSubject.BatchAppender,
        BenchSubject.BulkImporter, BenchSubject.AllEventsScanner, BenchSubject.StreamLoader, BenchSubject.Exporter {

    public static final String NAME = "annals";
    static final int READ_ALL_PAGE = 1000;
    static final int STREAM_PAGE = 4096;

    private final OpenedStore opened;

    public AnnalsSubject(OpenedStore opened) {
        this.opened = opened;
    }

    public EventStore store() {
        return opened.store();
    }

    @Override
    public void appendOne(String streamId, long version, BenchEvent event) {
        store().append(StreamId.of(streamId), ExpectedVersion.after(version - 1), List.of(toEventData(event)));
    }

    @Override
    public void appendBatch(StreamChunk chunk) {
        store().append(StreamId.of(chunk.streamId()), ExpectedVersion.after(chunk.firstVersion() - 1),
                toEventData(chunk.events()));
    }

    @Override
    public PreparedImport prepareImport(List<StreamChunk> chunks) throws Exception {
        return opened.importer().prepareImport(chunks);
    }

    @Override
    public long exportAll(OutputStream out) throws Exception {
        if (opened.exporter() == null) {
            throw new UnsupportedOperationException(opened.store() + " has no export");
        }
        return opened.exporter().exportAll(out);
    }

    @Override
    public long scanAll(long stopAfter) {
        long seen = 0;
        Position after = Position.START;
        while (seen < stopAfter) {
            List<RecordedEvent> page = store().readAll(after, READ_ALL_PAGE);
            if (page.isEmpty()) {
                break;
            }
            seen += page.size();
            after = page.getLast().position();
        }
        return seen;
    }

    @Override
    public int loadStream(String streamId) {
        var stream = StreamId.of(streamId);
        int count = 0;
        long from = 0;
        while (true) {
            List<RecordedEvent> page = store().readStreamForward(stream, from, STREAM_PAGE);
            count += page.size();
            if (page.size() < STREAM_PAGE) {
                return count;
            }
            from = page.getLast().version() + 1;
        }
    }

    public static EventData toEventData(BenchEvent event) {
        return new EventData(event.eventId(), event.type(), event.json(), Metadata.EMPTY, null);
    }

    public static List<EventData> toEventData(List<BenchEvent> events) {
        var data = new ArrayList<EventData>(events.size());
        for (BenchEvent event : events) {
            data.add(toEventData(event));
        }
        return data;
    }

    @Override
    public void close() throws Exception {
        opened.close();
    }
}
