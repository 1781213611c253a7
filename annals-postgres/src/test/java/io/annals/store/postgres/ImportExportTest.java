package io.annals.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.ExpectedVersion;
import io.annals.store.InvalidAppendException;
import io.annals.store.StreamState;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ImportExportTest {

    private final PostgresStoreFixture source = new PostgresStoreFixture("export");
    private final PostgresStoreFixture target = new PostgresStoreFixture("import");

    @AfterEach
    void close() {
        source.close();
        target.close();
    }

    @Test
    void anExportImportsIntoAnotherStoreWithTheSameEventsInTheSameOrder() throws Exception {
        Instant occurred = Instant.parse("2025-03-04T05:06:07.123456Z");
        source.store.append(StreamId.of("order-1"), ExpectedVersion.noStream(), List.of(
                new EventData(UUID.randomUUID(), "Placed", "{ \"items\" : [1, 2],\t\"note\":\"tab\\tand \\\\ slash\" }",
                        Metadata.of("correlationId", "c-1"), occurred),
                EventData.of("Paid", "[]")));
        source.store.append(StreamId.of("order-2"), ExpectedVersion.noStream(), List.of(EventData.of("Placed", "{\"ü\":\"ß\"}")));
        source.store.append(StreamId.of("order-1"), ExpectedVersion.exact(1), List.of(EventData.of("Shipped", "{}")));

        var export = new StringWriter();
        assertThat(source.store.exportEvents(export)).isEqualTo(4);
        assertThat(export.toString().lines()).hasSize(4);

        assertThat(target.store.importEvents(new StringReader(export.toString()))).isEqualTo(4);

        // readers of all events wait for every older transaction on the server, ours and others'
        List<RecordedEvent> original = await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE).until(() -> source.store.readAll(Position.START, 100), events -> events.size() == 4);
        List<RecordedEvent> imported = await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE).until(() -> target.store.readAll(Position.START, 100), events -> events.size() == 4);
        assertThat(imported).hasSize(4);
        for (int i = 0; i < 4; i++) {
            RecordedEvent a = original.get(i);
            RecordedEvent b = imported.get(i);
            assertThat(b.eventId()).isEqualTo(a.eventId());
            assertThat(b.streamId()).isEqualTo(a.streamId());
            assertThat(b.version()).isEqualTo(a.version());
            assertThat(b.type()).isEqualTo(a.type());
            assertThat(b.data()).isEqualTo(a.data());
            assertThat(b.metadata()).isEqualTo(a.metadata());
            assertThat(b.recordedAt()).isEqualTo(a.recordedAt());
            assertThat(b.occurredAt()).isEqualTo(a.occurredAt());
        }
        assertThat(imported.get(0).occurredAt()).isEqualTo(occurred);
        // the imported streams continue where the export ended
        assertThat(target.store.streamState(StreamId.of("order-1"))).isEqualTo(StreamState.active(2));
        assertThat(target.store.append(StreamId.of("order-1"), ExpectedVersion.exact(2), List.of(EventData.of("Delivered", "{}")))
                .nextExpectedVersion()).isEqualTo(3);
    }

    @Test
    void aBadLineFailsTheWholeImportWithItsLineNumberAndWritesNothing() {
        String good = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"streamId\":\"s-1\",\"version\":0,\"type\":\"T\","
                + "\"data\":{},\"metadata\":{},\"recordedAt\":\"2025-01-01T00:00:00Z\",\"occurredAt\":\"2025-01-01T00:00:00Z\"}";
        String badData = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"streamId\":\"s-1\",\"version\":1,\"type\":\"T\","
                + "\"data\":\"not an object\",\"recordedAt\":\"2025-01-01T00:00:00Z\"}";
        assertThatThrownBy(() -> target.store.importEvents(new StringReader(good + "\n" + badData + "\n")))
                .isInstanceOf(InvalidAppendException.class)
                .hasMessageContaining("line 2");
        assertThat(target.store.readAll(Position.START, 10)).isEmpty();

        String gap = good + "\n" + good.replace("\"version\":0", "\"version\":2").replaceFirst("[0-9a-f-]{36}", UUID.randomUUID().toString());
        assertThatThrownBy(() -> target.store.importEvents(new StringReader(gap)))
                .isInstanceOf(InvalidAppendException.class)
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> target.store.importEvents(new StringReader("{\"eventId\": 12")))
                .isInstanceOf(InvalidAppendException.class)
                .hasMessageContaining("line 1");
        assertThat(target.store.readAll(Position.START, 10)).isEmpty();
        assertThat(target.store.streamState(StreamId.of("s-1"))).isEqualTo(StreamState.absent());
    }

    @Test
    void anImportThatWouldOverwriteAStreamIsRefused() throws Exception {
        target.store.append(StreamId.of("s-1"), ExpectedVersion.noStream(), List.of(EventData.of("T", "{}")));
        String clash = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"streamId\":\"s-1\",\"version\":0,\"type\":\"T\","
                + "\"data\":{},\"recordedAt\":\"2025-01-01T00:00:00Z\"}";
        assertThatThrownBy(() -> target.store.importEvents(new StringReader(clash)))
                .isInstanceOf(InvalidAppendException.class);
        String skips = clash.replace("\"version\":0", "\"version\":5");
        assertThatThrownBy(() -> target.store.importEvents(new StringReader(skips)))
                .isInstanceOf(InvalidAppendException.class)
                .hasMessageContaining("s-1");
        assertThat(target.store.readAll(Position.START, 10)).hasSize(1);
    }
}
