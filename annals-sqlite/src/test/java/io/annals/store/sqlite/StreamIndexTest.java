package io.annals.store.sqlite;

import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.StreamState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The stream index is written behind the log (ADR 0006); reads never see the seam. */
class StreamIndexTest {

    @TempDir
    Path directory;

    @Test
    void anIdleStoreIndexesItsTailWithinTheFlushAge() throws SQLException {
        Path file = directory.resolve("idle.db");
        var byAgeOnly = new UnindexedTail.FlushPolicy(1_000_000, Duration.ofMillis(50));
        try (var store = SqliteEventStore.builder(file).streamIndexFlush(byAgeOnly).build();
             Connection observer = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            StreamId stream = StreamId.of("idle-1");
            store.append(stream, ExpectedVersion.noStream(), StoreFileOpeningTest.events(10));

            await().atMost(Duration.ofSeconds(10)).until(() -> indexed(observer) == 10);
            assertThat(store.readStream(stream, 0, ReadDirection.FORWARD, 100)).hasSize(10);
        }
    }

    @Test
    void readersSeeEveryStreamWholeAndInOrderWhileTheHorizonMoves() throws Exception {
        Path file = directory.resolve("moving.db");
        var everySevenEvents = new UnindexedTail.FlushPolicy(7, Duration.ofHours(1));
        List<StreamId> streams = List.of(StreamId.of("m-0"), StreamId.of("m-1"), StreamId.of("m-2"));
        try (var store = SqliteEventStore.builder(file).streamIndexFlush(everySevenEvents).build()) {
            var stop = new AtomicBoolean();
            var failure = new AtomicReference<Throwable>();
            var readers = new ArrayList<Thread>();
            for (int r = 0; r < 2; r++) {
                int reader = r;
                readers.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; !stop.get(); i++) {
                            StreamId stream = streams.get((i + reader) % streams.size());
                            List<RecordedEvent> forward = store.readStream(stream, 0, ReadDirection.FORWARD, 10_000);
                            assertThat(forward).extracting(RecordedEvent::version)
                                    .containsExactlyElementsOf(LongStream.range(0, forward.size()).boxed().toList());
                            List<RecordedEvent> backward = store.readStream(stream, Long.MAX_VALUE, ReadDirection.BACKWARD, 5);
                            assertThat(backward).extracting(RecordedEvent::version).isSortedAccordingTo((a, b) -> Long.compare(b, a));
                            assertThat(backward.isEmpty() || backward.getFirst().version() >= forward.size() - 1L).isTrue();
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            long[] last = {-1, -1, -1};
            try {
                for (int i = 0; i < 300 && failure.get() == null; i++) {
                    int s = i % streams.size();
                    last[s] = store.append(streams.get(s), ExpectedVersion.after(last[s]),
                            StoreFileOpeningTest.events(1 + i % 4)).nextExpectedVersion();
                }
            } finally {
                stop.set(true);
                for (Thread reader : readers) {
                    reader.join();
                }
            }
            assertThat(failure.get()).isNull();
            for (int s = 0; s < streams.size(); s++) {
                assertThat(store.streamState(streams.get(s))).isEqualTo(new StreamState.Active(last[s]));
                assertThat(store.readStream(streams.get(s), 0, ReadDirection.FORWARD, 10_000)).hasSize((int) last[s] + 1);
            }
        }
    }

    private static int indexed(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM stream_index")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
