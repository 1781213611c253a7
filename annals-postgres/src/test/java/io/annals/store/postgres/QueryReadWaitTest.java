package io.annals.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.store.EventQuery;
import io.annals.store.ExpectedVersion;
import io.annals.store.QueryRead;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A read by query waits for the horizon only when a committed event it matches is held back:
 * it then sees this process's own write, and otherwise answers at once, whatever else waits.
 */
class QueryReadWaitTest {

    private static final Tag ALICE = Tag.of("user", "alice");
    private static final Tag BOB = Tag.of("user", "bob");

    private final PostgresStoreFixture fixture = new PostgresStoreFixture("query_wait");
    private final PostgresEventStore patient = fixture.store;
    private final PostgresEventStore impatient = fixture.secondStore(builder -> builder.readYourWritesWait(Duration.ZERO));

    @AfterEach
    void close() {
        impatient.close();
        fixture.close();
    }

    @Test
    void waitsOnlyForHeldBackEventsTheQueryMatches() throws Exception {
        try (Connection blocker = fixture.postgres.connect()) {
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement();
                 ResultSet row = statement.executeQuery("SELECT pg_current_xact_id()")) {
                row.next();
            }
            patient.append(StreamId.of("user-alice"), ExpectedVersion.noStream(),
                    List.of(EventData.of("UserRegistered", "{}").withTags(ALICE)));
            assertThat(impatient.read(EventQuery.tagged(ALICE), Position.START, 10).events())
                    .as("the open transaction holds the committed event back").isEmpty();

            // the store knows of its own append, which holds nothing Bob's query matches: no wait
            CompletableFuture<QueryRead> bob = CompletableFuture.supplyAsync(
                    () -> patient.read(EventQuery.tagged(BOB), Position.START, 10));
            await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE.dividedBy(2)).until(bob::isDone);
            assertThat(bob.get().events()).isEmpty();

            CompletableFuture<QueryRead> alice = CompletableFuture.supplyAsync(
                    () -> patient.read(EventQuery.tagged(ALICE), Position.START, 10));
            blocker.rollback();
            assertThat(alice.get().events()).extracting(RecordedEvent::type).containsExactly("UserRegistered");
        }
    }
}
