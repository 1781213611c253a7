package io.annals.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.store.ExpectedVersion;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Appends notify only while another process listens on the schema. What was sent is observed on
 * a plain LISTEN connection: after the append returns, that connection notifies a marker of its
 * own; notifications arrive in commit order, so an append's notification, if there was one, has
 * arrived by the time the marker does.
 */
class OtherListenersTest {

    private final PostgresStoreFixture fixture = new PostgresStoreFixture("listeners");
    private final PostgresEventStore store = fixture.store;

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aStoreAloneOnItsSchemaAppendsWithoutNotifying() throws Exception {
        await().until(store::isListening);
        await().until(() -> !store.notifiesOtherProcesses());
        try (Connection observer = fixture.postgres.connect()) {
            listen(observer);
            store.append(StreamId.of("lone-1"), ExpectedVersion.noStream(), List.of(EventData.of("Lone", "{}")));
            store.append(StreamId.of("lone-1"), ExpectedVersion.exact(0), List.of(EventData.of("Lone", "{}")));

            assertThat(schemaNotificationsBeforeMarker(observer)).isEmpty();
        }
    }

    @Test
    void anotherStoreStartingIsNoticedAndItsAppendsAreAnnouncedUntilItStops() throws Exception {
        await().until(store::isListening);
        await().until(() -> !store.notifiesOtherProcesses());
        try (PostgresEventStore other = fixture.secondStore(builder -> builder.maxPoolSize(2));
             Connection observer = fixture.postgres.connect()) {
            await().until(other::isListening);
            await().until(store::notifiesOtherProcesses);
            listen(observer);

            store.append(StreamId.of("seen-1"), ExpectedVersion.noStream(), List.of(EventData.of("Seen", "{}")));

            assertThat(schemaNotificationsBeforeMarker(observer)).hasSize(1)
                    .allSatisfy(payload -> assertThat(payload).matches(fixture.schema + ":\\d+"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !store.notifiesOtherProcesses());
    }

    private static void listen(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + NotificationListener.CHANNEL);
        }
    }

    /** The payloads for this schema that arrive before a marker notified now by {@code observer} itself. */
    private List<String> schemaNotificationsBeforeMarker(Connection observer) throws SQLException {
        String marker = "marker-" + UUID.randomUUID();
        try (Statement statement = observer.createStatement()) {
            statement.execute("NOTIFY " + NotificationListener.CHANNEL + ", '" + marker + "'");
        }
        var payloads = new ArrayList<String>();
        PGConnection pg = observer.unwrap(PGConnection.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            PGNotification[] notifications = pg.getNotifications(1_000);
            for (PGNotification notification : notifications == null ? new PGNotification[0] : notifications) {
                String payload = notification.getParameter();
                if (payload.equals(marker)) {
                    return payloads;
                }
                if (payload.startsWith(fixture.schema + ":")) {
                    payloads.add(payload);
                }
            }
        }
        throw new AssertionError("the marker notification never arrived");
    }
}
