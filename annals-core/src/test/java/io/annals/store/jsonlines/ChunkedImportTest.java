package io.annals.store.jsonlines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.store.EventStoreUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ChunkedImportTest {

    /** Writes every chunk and notes its lines' numbers. */
    private final List<List<Long>> written = new CopyOnWriteArrayList<>();

    private ImportResult write(List<JsonLine> chunk) {
        written.add(chunk.stream().map(JsonLine::number).toList());
        return new ImportResult(chunk.size(), 0, 0);
    }

    @Test
    void chunksFollowTheFileAndTheResultAddsThemUp() {
        ImportResult result = ChunkedImport.run(file(7), 3, this::write);

        assertThat(result).isEqualTo(new ImportResult(7, 0, 0));
        assertThat(written).containsExactly(List.of(1L, 2L, 3L), List.of(4L, 5L, 6L), List.of(7L));
    }

    @Test
    void aDamagedLineSaysWhatTheChunksBeforeItCommitted() {
        String text = lines(8).replace("\"version\":6,", "\"version\":-6,");

        assertThatThrownBy(() -> ChunkedImport.run(in(text), 3, this::write))
                .isInstanceOfSatisfying(ImportFailedException.class, e -> {
                    assertThat(e.line()).isEqualTo(7);
                    assertThat(e.committed()).isEqualTo(new ImportResult(6, 0, 0));
                })
                .hasMessage("line 7: version must be a whole number of 0 or more; 6 events before it were committed"
                        + " (6 written, 0 already there), and 0 deletions; importing the file again skips them");
        assertThat(written).hasSize(2);
    }

    @Test
    void aChunkTheStoreRefusesStopsTheImportAtItsLine() {
        ChunkedImport.ChunkWriter refusesSecond = chunk -> {
            if (chunk.getFirst().number() == 4) {
                throw new InvalidLineException(5, "does not fit");
            }
            return write(chunk);
        };

        assertThatThrownBy(() -> ChunkedImport.run(file(9), 3, refusesSecond))
                .isInstanceOfSatisfying(ImportFailedException.class, e -> {
                    assertThat(e.line()).isEqualTo(5);
                    assertThat(e.committed()).isEqualTo(new ImportResult(3, 0, 0));
                })
                .hasMessageStartingWith("line 5: does not fit; 3 events before it were committed");
        assertThat(written).containsExactly(List.of(1L, 2L, 3L));
    }

    @Test
    void aChunkRefusedWhileLaterLinesAreReadIsReportedBeforeADamagedLineAfterIt() {
        String text = lines(6).replace("\"version\":4,", "\"version\":\"4\",");
        ChunkedImport.ChunkWriter refusesFirst = chunk -> {
            if (chunk.getFirst().number() == 1) {
                throw new InvalidLineException(2, "does not fit");
            }
            return write(chunk);
        };

        assertThatThrownBy(() -> ChunkedImport.run(in(text), 3, refusesFirst))
                .isInstanceOfSatisfying(ImportFailedException.class, e -> assertThat(e.line()).isEqualTo(2))
                .hasMessage("line 2: does not fit; nothing was committed");
    }

    @Test
    void anEventIdTwiceInAStreamIsRefused() {
        String text = lines(2) + line(1, "a-1", 2);

        assertThatThrownBy(() -> ChunkedImport.run(in(text), 10, this::write))
                .hasMessageStartingWith("line 3: event id 00000000-0000-7000-8000-000000000001 is already stored in stream a-1");
        assertThat(ChunkedImport.run(in(lines(2) + line(1, "b-1", 0)), 10, this::write))
                .as("the same id in another stream").isEqualTo(new ImportResult(3, 0, 0));
    }

    @Test
    void aFailingStoreIsReportedAtTheFirstLineOfItsChunk() {
        ChunkedImport.ChunkWriter failsFirst = chunk -> {
            throw new EventStoreUnavailableException("database went away", null);
        };

        assertThatThrownBy(() -> ChunkedImport.run(file(5), 3, failsFirst))
                .isInstanceOfSatisfying(ImportFailedException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.getCause()).isInstanceOf(EventStoreUnavailableException.class);
                })
                .hasMessage("line 1: the chunk from this line on failed: database went away; nothing was committed");
    }

    @Test
    void anUnreadableInputSaysWhereItStopped() {
        byte[] good = lines(2).getBytes(StandardCharsets.UTF_8);
        InputStream breaking = new InputStream() {
            private int at;

            @Override
            public int read() throws IOException {
                if (at < good.length) {
                    return good[at++];
                }
                throw new IOException("disk error");
            }
        };

        assertThatThrownBy(() -> ChunkedImport.run(breaking, 10, this::write))
                .isInstanceOfSatisfying(ImportFailedException.class, e -> assertThat(e.line()).isEqualTo(3))
                .hasMessageContaining("the input could not be read: disk error");
    }

    @Test
    void aStreamsVersionsMustFollowEachOtherWithinAChunk() {
        String text = lines(2) + line(2, "a-1", 5);

        assertThatThrownBy(() -> ChunkedImport.run(in(text), 10, this::write))
                .hasMessageStartingWith("line 3: stream a-1 has version 5 after version 1; versions must follow each other");
        assertThat(written).isEmpty();
    }

    private static InputStream file(int count) {
        return in(lines(count));
    }

    /** Lines of stream a-1 from version 0 on. */
    private static String lines(int count) {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(line(i, "a-1", i));
        }
        return text.toString();
    }

    private static String line(int i, String stream, long version) {
        return "{\"eventId\":\"00000000-0000-7000-8000-" + String.format("%012d", i) + "\",\"streamId\":\"" + stream
                + "\",\"version\":" + version + ",\"type\":\"T\",\"data\":{},\"recordedAt\":\"2024-01-01T00:00:00Z\"}\n";
    }

    private static InputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
