package io.annals.store.sqlite;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.store.AppendResult;
import io.annals.store.ExpectedVersion;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link DurabilityTest}: appends from several threads until it is killed,
 * and prints the id of every event whose append returned, so the parent knows what was acknowledged.
 */
public final class CrashingWriter {

    private CrashingWriter() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        // indexed every 1,000 events, never by age: the kill leaves events both in the stream index and after it
        var store = SqliteEventStore.builder(file)
                .streamIndexFlush(new UnindexedTail.FlushPolicy(1_000, Duration.ofHours(1)))
                .build();
        System.out.println("ready");
        System.out.flush();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            StreamId stream = StreamId.of("crash-" + t);
            writers.add(Thread.ofPlatform().start(() -> {
                long version = -1;
                for (int i = 0; ; i++) {
                    List<EventData> events = new ArrayList<>();
                    for (int e = 0; e <= i % 3; e++) {
                        events.add(EventData.of("Written", "{\"i\":" + i + "}"));
                    }
                    AppendResult result = store.append(stream, ExpectedVersion.after(version), events);
                    version = result.nextExpectedVersion();
                    var acknowledged = new StringBuilder();
                    for (EventData event : events) {
                        acknowledged.append("ack ").append(event.eventId()).append('\n');
                    }
                    // one write per append, so that lines of different threads never interleave
                    System.out.print(acknowledged);
                    System.out.flush();
                }
            }));
        }
        for (Thread writer : writers) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
