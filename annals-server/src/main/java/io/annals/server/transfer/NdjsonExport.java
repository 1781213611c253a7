package io.annals.server.transfer;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.server.json.RecordedEventJson;
import io.annals.store.AllEventsReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/** Writes every event of a store, in global order, as one JSON object per line. */
public final class NdjsonExport {

    private static final int PAGE = 1000;

    private NdjsonExport() {
    }

    public static TransferSummary export(AllEventsReader store, OutputStream out, TransferProgress progress) throws IOException {
        long started = System.nanoTime();
        var streams = new HashSet<StreamId>();
        long events = 0;
        long bytes = 0;
        Position after = Position.START;
        while (true) {
            List<RecordedEvent> page = store.readAll(after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            var text = new StringBuilder(page.size() * 300);
            for (RecordedEvent event : page) {
                text.append(RecordedEventJson.toJson(event)).append('\n');
                streams.add(event.streamId());
            }
            byte[] chunk = text.toString().getBytes(StandardCharsets.UTF_8);
            out.write(chunk);
            events += page.size();
            bytes += chunk.length;
            after = page.getLast().position();
            progress.advanced(events, bytes);
        }
        out.flush();
        return new TransferSummary(events, streams.size(), bytes, Duration.ofNanos(System.nanoTime() - started));
    }
}
