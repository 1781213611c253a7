package io.annals.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annals.store.jdbc.JdbcWorkException;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A rebuild fills new tables while the old ones keep answering, reports progress, then swaps them in. */
class RebuildTest {

    @TempDir
    Path directory;

    private StoreUnderTest target;

    private StoreUnderTest open(String kind) {
        target = kind.equals("sqlite") ? StoreUnderTest.sqlite(directory) : StoreUnderTest.postgres("rebuild");
        return target;
    }

    @AfterEach
    void close() {
        if (target != null) {
            target.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aChangedHandlerIsRebuiltIntoNewTablesWhileTheOldOnesAnswerQueries(String kind) throws InterruptedException {
        var store = open(kind);
        for (int i = 0; i < 30; i++) {
            store.add("order-" + (i % 6), i + 1);
        }
        try (var runtime = ProjectionRuntime.builder(store.store).build()) {
            runtime.register(new Totals("totals", Selection.ALL), ProjectionOptions.DEFAULTS.withPartitions(2));
            runtime.start();
            await().untilAsserted(() -> assertThat(store.totals()).isEqualTo(store.expectedTotals(e -> true)));
        }

        var changed = new Totals("totals", Selection.ALL, 2);
        var entered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        changed.before = (event, model) -> {
            if (model.table("totals").endsWith("totals_g2") && event.version() == 3) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (var runtime = ProjectionRuntime.builder(store.store).build()) {
            runtime.register(changed, ProjectionOptions.DEFAULTS.withPartitions(2).withBatchSize(1));
            runtime.start();
            runtime.rebuild("totals");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

            var status = runtime.status("totals").orElseThrow();
            assertThat(status.state()).isEqualTo(ProjectionState.REBUILDING);
            assertThat(status.rebuild()).hasValueSatisfying(progress -> {
                assertThat(progress.eventsDone()).isPositive();
                assertThat(progress.eventsLeft()).isPositive();
            });
            assertThatThrownBy(() -> runtime.rebuild("totals")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> runtime.rebuild("nothing")).isInstanceOf(NoSuchElementException.class);
            assertThat(store.totals()).as("the old tables answer during the rebuild").isEqualTo(store.expectedTotals(e -> true));

            release.countDown();
            await().untilAsserted(() -> assertThat(store.totals()).isEqualTo(store.expectedTotals(e -> true, 2)));
            await().until(() -> runtime.status("totals").orElseThrow().state() == ProjectionState.LIVE);
            store.add("order-9", 50);
            await().untilAsserted(() -> assertThat(store.totals()).isEqualTo(store.expectedTotals(e -> true, 2)));
            assertThatThrownBy(() -> store.store.inTransaction(tx -> {
                try (Statement statement = tx.connection().createStatement()) {
                    return statement.execute("SELECT count(*) FROM " + store.store.tableName("totals_g1"));
                }
            })).as("the old generation's table is dropped").isInstanceOf(JdbcWorkException.class);
        }

        try (var restarted = ProjectionRuntime.builder(store.store).build()) {
            restarted.register(new Totals("totals", Selection.ALL, 2), ProjectionOptions.DEFAULTS.withPartitions(2));
            restarted.start();
            store.add("order-9", 7);
            await().untilAsserted(() -> assertThat(store.totals()).isEqualTo(store.expectedTotals(e -> true, 2)));
        }
    }
}
