package io.annals.store.sqlite;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.sqlite.SqliteOpenException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An acknowledged append survives {@code kill -9}: a child JVM appends under load and prints
 * each acknowledged event id; it is killed mid-load, and every printed id must be in the file.
 */
class DurabilityTest {

    private static final int ACKNOWLEDGED_BEFORE_KILL = 3_000;

    @TempDir
    Path directory;

    @Test
    void everyAcknowledgedAppendSurvivesTheProcessBeingKilled() throws Exception {
        Path file = directory.resolve("crash.db");
        Path output = directory.resolve("acknowledged.txt");
        Process child = new ProcessBuilder(javaExecutable(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), file.toString(), "8")
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> completeLines(output).contains("ready"));
            // while the child runs, its lock refuses this process
            assertThatThrownBy(() -> SqliteEventStore.open(file))
                    .isInstanceOfSatisfying(SqliteOpenException.class, e -> assertThat(e.problem()).isEqualTo(Problem.LOCKED))
                    .hasMessageContaining("another process");
            await().atMost(Duration.ofSeconds(120)).until(() -> completeLines(output).size() > ACKNOWLEDGED_BEFORE_KILL);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // every complete line printed before the kill is an acknowledged append; a torn last line is not
        Set<UUID> acknowledged = new HashSet<>();
        for (String line : completeLines(output)) {
            if (!line.equals("ready")) {
                acknowledged.add(parse(line));
            }
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);

        try (var store = SqliteEventStore.open(file)) {
            Set<UUID> stored = new HashSet<>();
            List<RecordedEvent> all = new ArrayList<>();
            Position after = Position.START;
            List<RecordedEvent> page;
            while (!(page = store.readAll(after, 5_000)).isEmpty()) {
                all.addAll(page);
                page.forEach(event -> stored.add(event.eventId()));
                after = page.getLast().position();
            }
            assertThat(stored).containsAll(acknowledged);
            for (int i = 0; i < all.size(); i++) {
                assertThat(all.get(i).position()).isEqualTo(Position.of(i + 1L));
            }
            // the kill left events after the stream index's horizon: reads by stream find them in the log's tail
            Map<StreamId, List<RecordedEvent>> byStream = all.stream()
                    .collect(Collectors.groupingBy(RecordedEvent::streamId, LinkedHashMap::new, Collectors.toList()));
            for (var stream : byStream.entrySet()) {
                List<RecordedEvent> read = store.readStream(stream.getKey(), 0, ReadDirection.FORWARD, 100_000);
                assertThat(read).extracting(RecordedEvent::eventId)
                        .containsExactlyElementsOf(stream.getValue().stream().map(RecordedEvent::eventId).toList());
                assertThat(read).extracting(RecordedEvent::version)
                        .containsExactlyElementsOf(LongStream.range(0, read.size()).boxed().toList());
                assertThat(store.append(stream.getKey(), ExpectedVersion.exact(read.size() - 1L),
                        List.of(EventData.of("AfterRestart", "{}"))).nextExpectedVersion()).isEqualTo(read.size());
            }
        }
    }

    private static List<String> completeLines(Path output) throws IOException {
        String text = Files.readString(output, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }

    private static UUID parse(String line) {
        assertThat(line).startsWith("ack ");
        return UUID.fromString(line.substring(4));
    }

    private static String javaExecutable() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (!java.toFile().canExecute()) {
            throw new IOException("no java executable at " + java);
        }
        return java.toString();
    }
}
