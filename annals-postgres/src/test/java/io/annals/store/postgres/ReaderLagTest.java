package io.annals.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.StreamId;
import io.annals.store.ExpectedVersion;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An open transaction holds readers of all events back, and the store says who it is. */
class ReaderLagTest {

    private final PostgresStoreFixture fixture = new PostgresStoreFixture("lag", builder -> builder.readYourWritesWait(java.time.Duration.ZERO));
    private final PostgresEventStore store = fixture.store;

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void anOpenTransactionHoldsReadersBackAndIsNamed() throws Exception {
        store.append(StreamId.of("early-1"), ExpectedVersion.noStream(), List.of(EventData.of("Early", "{}")));
        try (Connection blocker = fixture.postgres.connect()) {
            blocker.setAutoCommit(false);
            int pid;
            try (Statement statement = blocker.createStatement();
                 ResultSet row = statement.executeQuery("SELECT pg_backend_pid(), pg_current_xact_id()")) {
                row.next();
                pid = row.getInt(1);
            }
            store.append(StreamId.of("late-1"), ExpectedVersion.noStream(), List.of(EventData.of("Late", "{}")));

            await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE).untilAsserted(() -> assertThat(store.readAll(Position.START, 10)).extracting(e -> e.type())
                    .containsExactly("Early"));
            assertThat(store.readStreamForward(StreamId.of("late-1"), 0, 10)).hasSize(1);
            ReaderLag lag = store.readerLag();
            assertThat(lag.heldBackEvents()).isGreaterThanOrEqualTo(1);
            assertThat(lag.oldestTransaction()).isPresent();
            // on a shared server an older transaction of someone else may be the oldest; ours is at least as young
            if (lag.oldestTransaction().get().pid() == pid) {
                assertThat(lag.oldestTransaction().get().query()).contains("pg_current_xact_id");
            }

            blocker.rollback();
        }
        // other clients of a shared server may hold the horizon for a moment too
        await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE).untilAsserted(() -> assertThat(store.readAll(Position.START, 10)).extracting(e -> e.type())
                .containsExactly("Early", "Late"));
        await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE).untilAsserted(() -> assertThat(store.readerLag().heldBackEvents()).isZero());
    }
}
