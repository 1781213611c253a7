package io.annals.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.DeleteMode;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.StreamDeletedException;
import io.annals.store.StreamState;
import io.annals.store.Subscription;
import io.annals.store.jsonlines.ExportResult;
import io.annals.store.jsonlines.ImportFailedException;
import io.annals.store.jsonlines.ImportResult;
import io.annals.store.jsonlines.JsonLinesTransfer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of a store's JSON lines export and import ({@link JsonLinesTransfer}): a restored
 * store answers every read as the original, deletions included; an import can be repeated and
 * resumed; a line that does not fit names itself and what was committed before it. Extend it
 * in your store's tests and return a fresh, empty store from {@link #createStore()}.
 */
public abstract class JsonLinesTransferContractTest<S extends EventStore & JsonLinesTransfer> {

    /** A fresh, empty store; called up to three times per test. */
    protected abstract S createStore();

    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(60);
    private static final Pattern POSITION = Pattern.compile(",\"position\":\"[0-9a-f]{32}\"");

    private final List<S> opened = new ArrayList<>();

    private S open() {
        S store = createStore();
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(EventStore::close);
    }

    // ---- a restored store is the same store ----

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void aRestoredStoreAnswersEveryReadAsTheOriginal(long seed) throws IOException {
        S source = open();
        List<StreamId> streams = StoreHistory.write(source, new Random(seed), false, true);
        byte[] export = export(source);
        awaitVisible(source, eventLines(export));

        S copy = open();
        ImportResult imported = copy.importJsonLines(new ByteArrayInputStream(export));
        awaitVisible(copy, imported.eventsWritten());

        assertThat(imported.eventsSkipped()).as("seed %d", seed).isZero();
        assertThat(StoreAnswers.of(copy, streams, UnaryOperator.identity())).as("seed %d", seed)
                .isEqualTo(StoreAnswers.of(source, streams, UnaryOperator.identity()));
        assertThat(withoutPositions(export(copy))).as("seed %d: the copy's export", seed)
                .isEqualTo(withoutPositions(export));
        assertThat(StoreAnswers.afterWrites(copy, streams)).as("seed %d", seed)
                .isEqualTo(StoreAnswers.afterWrites(source, streams));
    }

    @Test
    void deletionsTravel() throws IOException {
        S source = open();
        StreamId hard = StreamId.of("hard-1");
        StreamId soft = StreamId.of("soft-1");
        StreamId rewritten = StreamId.of("rewritten-1");
        StreamId never = StreamId.of("never-1");
        source.append(hard, ExpectedVersion.noStream(), events("A", 2));
        source.delete(hard, ExpectedVersion.any(), DeleteMode.HARD);
        source.append(soft, ExpectedVersion.noStream(), events("B", 3));
        source.delete(soft, ExpectedVersion.any(), DeleteMode.SOFT);
        source.append(rewritten, ExpectedVersion.noStream(), events("C", 2));
        source.delete(rewritten, ExpectedVersion.any(), DeleteMode.SOFT);
        source.append(rewritten, ExpectedVersion.noStream(), events("D", 1));
        source.delete(never, ExpectedVersion.any(), DeleteMode.HARD);

        ExportResult exported = source.exportJsonLines(new ByteArrayOutputStream());
        assertThat(exported).isEqualTo(new ExportResult(8, 4));
        S copy = open();
        assertThat(copy.importJsonLines(new ByteArrayInputStream(export(source)))).isEqualTo(new ImportResult(8, 0, 4));

        assertThat(copy.streamState(hard)).isEqualTo(StreamState.tombstoned());
        assertThatThrownBy(() -> copy.readStreamForward(hard, 0, 10)).isInstanceOf(StreamDeletedException.class);
        assertThatThrownBy(() -> copy.append(hard, ExpectedVersion.any(), events("E", 1)))
                .isInstanceOf(StreamDeletedException.class);
        assertThat(copy.streamState(never)).isEqualTo(StreamState.tombstoned());
        assertThat(copy.streamState(soft)).isEqualTo(StreamState.absent());
        assertThat(copy.readStreamForward(soft, 0, 10)).isEmpty();
        assertThat(copy.readStreamForward(rewritten, 0, 10)).extracting(RecordedEvent::version).containsExactly(2L);
        assertThat(copy.streamState(rewritten)).isEqualTo(StreamState.active(2));
        // the log keeps every event, deleted streams' too
        assertThat(all(awaitVisible(copy, 8))).hasSize(8);
        assertThat(copy.append(soft, ExpectedVersion.noStream(), events("F", 1)).nextExpectedVersion()).isEqualTo(3);
    }

    @Test
    void anImportKeepsIdsVersionsTimesAndFileOrder() {
        S store = open();
        String file = line("a-1", 0, UUID.randomUUID(), "2024-01-02T03:04:05.123456Z")
                + line("b-1", 0, UUID.randomUUID(), "2024-01-02T03:04:06Z")
                + line("a-1", 1, UUID.randomUUID(), "2024-01-02T03:04:07.5Z");

        assertThat(store.importJsonLines(in(file))).isEqualTo(new ImportResult(3, 0, 0));

        List<RecordedEvent> all = all(awaitVisible(store, 3));
        assertThat(all).extracting(event -> event.streamId().value() + "@" + event.version())
                .containsExactly("a-1@0", "b-1@0", "a-1@1");
        assertThat(all).extracting(RecordedEvent::recordedAt).containsExactly(Instant.parse("2024-01-02T03:04:05.123456Z"),
                Instant.parse("2024-01-02T03:04:06Z"), Instant.parse("2024-01-02T03:04:07.5Z"));
        assertThat(all.getFirst().occurredAt()).isEqualTo(all.getFirst().recordedAt());
        assertThat(all.get(1).position()).isGreaterThan(all.get(0).position());
        assertThat(store.streamState(StreamId.of("a-1"))).isEqualTo(StreamState.active(1));
        assertThat(store.append(StreamId.of("a-1"), ExpectedVersion.exact(1), events("Next", 1)).nextExpectedVersion())
                .isEqualTo(2);
    }

    @Test
    void eachEventIsOneLineEvenWhenItsDataHasLineBreaks() throws IOException {
        S source = open();
        source.append(StreamId.of("pretty-1"), ExpectedVersion.noStream(), List.of(
                new EventData(UUID.randomUUID(), "Pretty", "{\n  \"a\": \"line\\nbreak\",\r\n  \"b\": [1,\n 2]\n}",
                        Metadata.of("note", "two\nlines"), null),
                new EventData(UUID.randomUUID(), "Escapes", "{\"cr\":\"\\r\",\"tab\":\"\\t\",\"back\":\"\\\\\"}",
                        Metadata.EMPTY, null)));
        byte[] export = export(source);
        assertThat(new String(export, StandardCharsets.UTF_8).split("\n")).hasSize(2);

        S copy = open();
        copy.importJsonLines(new ByteArrayInputStream(export));
        List<RecordedEvent> events = copy.readStreamForward(StreamId.of("pretty-1"), 0, 10);
        assertThat(events.getFirst().data()).isEqualTo("{   \"a\": \"line\\nbreak\",    \"b\": [1,  2] }");
        assertThat(events.getFirst().metadata()).isEqualTo(Metadata.of("note", "two\nlines"));
        assertThat(events.get(1).data()).isEqualTo("{\"cr\":\"\\r\",\"tab\":\"\\t\",\"back\":\"\\\\\"}");
    }

    // ---- repeating and resuming ----

    @Test
    void importingAgainSkipsWhatIsThere() throws IOException {
        S source = open();
        List<StreamId> streams = StoreHistory.write(source, new Random(7), false, true);
        byte[] export = export(source);
        long events = eventLines(export);
        S copy = open();
        ImportResult first = copy.importJsonLines(new ByteArrayInputStream(export));
        StoreAnswers before = StoreAnswers.of(awaitVisible(copy, events), streams, UnaryOperator.identity());

        ImportResult again = copy.importJsonLines(new ByteArrayInputStream(export));

        assertThat(again).isEqualTo(new ImportResult(0, events, first.deletions()));
        assertThat(StoreAnswers.of(copy, streams, UnaryOperator.identity())).isEqualTo(before);
    }

    @Test
    void aDamagedLineSaysWhatWasCommittedBeforeItAndTheFixedFileResumes() {
        S store = open();
        int count = 12_000;
        var lines = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            lines.add(line("bulk-" + i / 10, i % 10, UUID.randomUUID(), "2024-01-01T00:00:00Z"));
        }
        int damaged = 11_234;
        String good = lines.get(damaged - 1);
        lines.set(damaged - 1, good.substring(0, good.length() - 3) + "\n");

        ImportFailedException failure = catchImport(store, String.join("", lines));

        assertThat(failure.line()).isEqualTo(damaged);
        assertThat(failure).hasMessageContaining("line " + damaged + ": not valid JSON");
        long committed = failure.committed().eventsWritten();
        assertThat(committed).isPositive().isLessThan(damaged);
        assertThat(failure).hasMessageContaining(committed + " events before it were committed");
        assertThat(all(awaitVisible(store, committed)))
                .hasSize((int) committed);

        lines.set(damaged - 1, good);
        assertThat(store.importJsonLines(in(String.join("", lines))))
                .isEqualTo(new ImportResult(count - committed, committed, 0));
        assertThat(all(awaitVisible(store, count)))
                .hasSize(count);
    }

    @Test
    void theSameDataWrittenDifferentlyIsTheSameEvent() {
        S store = open();
        UUID id = UUID.randomUUID();
        String compact = line("j-1", 0, id, "2024-01-01T00:00:00Z").replace("{\"v\":0}", "{\"x\":1,\"y\":[1,2.50]}");
        store.importJsonLines(in(compact));

        String spaced = compact.replace("{\"x\":1,\"y\":[1,2.50]}", "{ \"y\" : [1, 2.50], \"x\" : 1 }");
        assertThat(store.importJsonLines(in(spaced))).isEqualTo(new ImportResult(0, 1, 0));
        String changed = compact.replace("2.50", "2.51");
        assertThat(catchImport(store, changed)).hasMessageContaining("line 1: version 0 of stream j-1 is already stored"
                + " with different content: its data differs");
    }

    @Test
    void anImportedPrefixIsSkippedWhenTheWholeFileFollows() {
        S store = open();
        var ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        String prefix = line("p-1", 0, ids.get(0), "2024-01-01T00:00:00Z") + line("p-1", 1, ids.get(1), "2024-01-01T00:00:00Z");
        String whole = prefix + line("p-1", 2, ids.get(2), "2024-01-01T00:00:01Z") + "{\"deleted\":\"soft\",\"streamId\":\"p-1\",\"throughVersion\":2}\n";
        store.importJsonLines(in(prefix));

        assertThat(store.importJsonLines(in(whole))).isEqualTo(new ImportResult(1, 2, 1));
        assertThat(store.streamState(StreamId.of("p-1"))).isEqualTo(StreamState.absent());
    }

    // ---- lines that contradict the store ----

    @Test
    void aLineThatContradictsTheStoreIsNamedAndItsChunkIsNotWritten() {
        S store = open();
        UUID stored = UUID.randomUUID();
        store.importJsonLines(in(line("s-1", 0, stored, "2024-01-01T00:00:00Z")
                + line("gone-1", 0, UUID.randomUUID(), "2024-01-01T00:00:00Z")
                + "{\"deleted\":\"hard\",\"streamId\":\"gone-1\"}\n"));
        List<StreamId> streams = List.of(StreamId.of("other-1"));
        StoreAnswers before = StoreAnswers.of(awaitVisible(store, 2), streams, UnaryOperator.identity());
        String fresh = line("other-1", 0, UUID.randomUUID(), "2024-01-01T00:00:00Z");

        Map<String, String> refusals = new TreeMap<>();
        refusals.put(line("s-1", 0, stored, "2024-01-01T00:00:00Z").replace("\"T\"", "\"Changed\""),
                "version 0 of stream s-1 is already stored with different content: its type is T, not Changed");
        refusals.put(line("s-1", 0, UUID.randomUUID(), "2024-01-01T00:00:00Z"),
                "version 0 of stream s-1 is already stored with different content: it holds event " + stored);
        refusals.put(line("s-1", 0, stored, "2024-01-01T00:00:01Z"),
                "version 0 of stream s-1 is already stored with different content: it was recorded at");
        refusals.put(line("s-1", 2, UUID.randomUUID(), "2024-01-01T00:00:00Z"),
                "version 2 of stream s-1 does not continue it: the stream ends at version 0");
        refusals.put(line("s-1", 1, stored, "2024-01-01T00:00:00Z"),
                "event id " + stored + " is already stored");
        refusals.put(line("gone-1", 1, UUID.randomUUID(), "2024-01-01T00:00:00Z"),
                "stream gone-1 is deleted for good (hard delete)");
        refusals.put("{\"deleted\":\"soft\",\"streamId\":\"s-1\",\"throughVersion\":3}\n",
                "the soft deletion of stream s-1 hides versions up to 3 but the stream ends at version 0");
        for (var refusal : refusals.entrySet()) {
            ImportFailedException failure = catchImport(store, fresh + refusal.getKey());
            assertThat(failure.line()).as(refusal.getKey()).isEqualTo(2);
            assertThat(failure.getMessage()).as(refusal.getKey()).contains("line 2: " + refusal.getValue())
                    .contains("nothing was committed");
            assertThat(failure.committed()).isEqualTo(ImportResult.NONE);
        }
        assertThat(StoreAnswers.of(store, streams, UnaryOperator.identity())).isEqualTo(before);
    }

    @Test
    void aStreamsLinesMustFollowEachOtherAndComeBeforeItsDeletion() {
        S store = open();
        String a0 = line("a-1", 0, UUID.randomUUID(), "2024-01-01T00:00:00Z");
        String a2 = line("a-1", 2, UUID.randomUUID(), "2024-01-01T00:00:00Z");
        assertThat(catchImport(store, a0 + a2)).hasMessageContaining(
                "line 2: stream a-1 has version 2 after version 0; versions must follow each other");
        assertThat(catchImport(store, a0 + "{\"deleted\":\"hard\",\"streamId\":\"a-1\"}\n"
                + line("a-1", 1, UUID.randomUUID(), "2024-01-01T00:00:00Z")))
                .hasMessageContaining("line 3: an event of stream a-1 follows its deletion on line 2");
        assertThat(store.streamState(StreamId.of("a-1"))).isEqualTo(StreamState.absent());
    }

    // ---- while the store is in use ----

    @Test
    void subscribersSeeImportedEvents() {
        S store = open();
        var seen = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription ignored = store.subscribeToAll(Position.START, EventFilter.ALL, seen::add)) {
            store.importJsonLines(in(line("sub-1", 0, UUID.randomUUID(), "2024-01-01T00:00:00Z")
                    + line("sub-1", 1, UUID.randomUUID(), "2024-01-01T00:00:00Z")));
            await().atMost(VISIBLE_WITHIN).untilAsserted(() ->
                    assertThat(seen).extracting(RecordedEvent::version).containsExactly(0L, 1L));
        }
    }

    /** Appends of two events go on while the store exports: each is in the export whole or not at all. */
    @Test
    void anExportIsOneConsistentCutWhileAppendsGoOn() throws Exception {
        S store = open();
        var stop = new AtomicBoolean();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var writers = new ArrayList<Future<?>>();
            for (int w = 0; w < 4; w++) {
                StreamId stream = StreamId.of("pairs-" + w);
                writers.add(executor.submit(() -> {
                    for (int i = 0; i < 2_000 && !stop.get(); i++) {
                        store.append(stream, ExpectedVersion.any(), events("Pair", 2));
                    }
                    return null;
                }));
            }
            await().atMost(VISIBLE_WITHIN).until(() -> !store.readAll(Position.START, 100).isEmpty());
            List<String> exports = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                exports.add(new String(export(store), StandardCharsets.UTF_8));
            }
            stop.set(true);
            for (Future<?> writer : writers) {
                writer.get();
            }
            for (String export : exports) {
                var versions = new TreeMap<String, List<Long>>();
                for (String line : export.split("\n")) {
                    var matcher = Pattern.compile("\"streamId\":\"([^\"]+)\",\"version\":(\\d+)").matcher(line);
                    assertThat(matcher.find()).as(line).isTrue();
                    versions.computeIfAbsent(matcher.group(1), s -> new ArrayList<>()).add(Long.parseLong(matcher.group(2)));
                }
                for (var stream : versions.entrySet()) {
                    List<Long> got = stream.getValue();
                    assertThat(got.size() % 2).as("%s: whole appends only", stream.getKey()).isZero();
                    for (int v = 0; v < got.size(); v++) {
                        assertThat(got.get(v)).as("%s: no gaps", stream.getKey()).isEqualTo((long) v);
                    }
                }
            }
        }
    }

    // ---- helpers ----

    private static List<EventData> events(String type, int count) {
        var events = new ArrayList<EventData>();
        for (int i = 0; i < count; i++) {
            events.add(EventData.of(type, "{\"i\":" + i + "}"));
        }
        return events;
    }

    /** One event line as an export writes it, of type T. */
    protected static String line(String stream, long version, UUID eventId, String recordedAt) {
        return "{\"eventId\":\"" + eventId + "\",\"streamId\":\"" + stream + "\",\"version\":" + version
                + ",\"position\":\"" + Position.of(version + 1) + "\",\"type\":\"T\",\"data\":{\"v\":" + version
                + "},\"metadata\":{},\"recordedAt\":\"" + recordedAt + "\",\"occurredAt\":\"" + recordedAt + "\"}\n";
    }

    private static ByteArrayInputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] export(JsonLinesTransfer store) throws IOException {
        var out = new ByteArrayOutputStream();
        store.exportJsonLines(out);
        return out.toByteArray();
    }

    private static long eventLines(byte[] export) {
        return new String(export, StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("{\"eventId\"")).count();
    }

    private static String withoutPositions(byte[] export) {
        return POSITION.matcher(new String(export, StandardCharsets.UTF_8)).replaceAll("");
    }

    private ImportFailedException catchImport(S store, String file) {
        try {
            store.importJsonLines(in(file));
        } catch (ImportFailedException e) {
            return e;
        }
        throw new AssertionError("the import did not fail:\n" + file);
    }

    /**
     * The store once {@code count} events are visible in its global order: a store may publish an
     * event a moment after it is written (PostgreSQL holds readers below the oldest running
     * transaction of the server).
     */
    private static <T extends EventStore> T awaitVisible(T store, long count) {
        await().atMost(VISIBLE_WITHIN).until(() ->
                all(store).size() >= count);
        return store;
    }

    private static List<RecordedEvent> all(EventStore store) {
        return StoreAnswers.readAll(store, Position.START, EventFilter.ALL, 1000);
    }
}
