package io.annals.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.store.ExpectedVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A projection catches up, follows live, and its read model and checkpoint commit together, on both databases. */
class CheckpointInTransactionTest {

    @TempDir
    Path directory;

    private StoreUnderTest target;

    private StoreUnderTest open(String kind) {
        target = kind.equals("sqlite") ? StoreUnderTest.sqlite(directory) : StoreUnderTest.postgres("checkpoint");
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
    void catchesUpThenFollowsLiveAndStopsAtTheLastEventOfTheStore(String kind) {
        var store = open(kind);
        for (int i = 0; i < 30; i++) {
            store.add("order-" + (i % 4), i);
        }
        store.store.append(StreamId.of("other-1"), ExpectedVersion.any(), List.of(EventData.of("Ignored", "{}")));
        try (var runtime = ProjectionRuntime.builder(store.store).build()) {
            runtime.register(new Totals("totals", Selection.types("Added")), ProjectionOptions.DEFAULTS.withBatchSize(7));
            runtime.start();
            await().untilAsserted(() -> assertThat(store.totals()).isEqualTo(store.expectedTotals(e -> e.type().equals("Added"))));
            await().until(() -> runtime.status("totals").orElseThrow().state() == ProjectionState.LIVE);

            for (int i = 0; i < 10; i++) {
                store.add("order-" + i, 100 + i);
            }
            await().untilAsserted(() -> assertThat(store.totals()).isEqualTo(store.expectedTotals(e -> e.type().equals("Added"))));
            var last = store.all().getLast().position();
            await().untilAsserted(() -> assertThat(runtime.status("totals").orElseThrow().partitions().getFirst().checkpoint())
                    .isEqualTo(last));
            assertThat(runtime.status("totals").orElseThrow().lagEvents()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aRestartedRuntimeGoesOnFromTheStoredCheckpointWithoutApplyingAnEventTwice(String kind) {
        var store = open(kind);
        for (int i = 0; i < 12; i++) {
            store.add("order-" + (i % 3), i);
        }
        try (var runtime = ProjectionRuntime.builder(store.store).build()) {
            runtime.register(new Totals("totals", Selection.ALL), ProjectionOptions.DEFAULTS.withBatchSize(5));
            runtime.start();
            await().untilAsserted(() -> assertThat(store.totals()).isEqualTo(store.expectedTotals(e -> true)));
        }
        for (int i = 0; i < 9; i++) {
            store.add("order-" + (i % 5), 1000 + i);
        }
        try (var runtime = ProjectionRuntime.builder(store.store).build()) {
            var counting = new Totals("totals", Selection.ALL);
            runtime.register(counting, ProjectionOptions.DEFAULTS);
            runtime.start();
            // Totals refuses a version it has applied already, so a re-applied event would fail and stop the projection
            await().untilAsserted(() -> assertThat(store.totals()).isEqualTo(store.expectedTotals(e -> true)));
            assertThat(runtime.status("totals").orElseThrow().eventsHandled()).isEqualTo(9);
            assertThat(runtime.status("totals").orElseThrow().errors()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aProjectionSeesOnlyTheEventsOfItsQueryAndStreamPrefix(String kind) {
        var store = open(kind);
        Tag vip = Tag.of("tier", "vip");
        store.store.append(StreamId.of("order-1"), ExpectedVersion.any(), List.of(
                EventData.of("Added", Totals.amount(5)).withTags(Set.of(vip)),
                EventData.of("Added", Totals.amount(7))));
        store.store.append(StreamId.of("cart-1"), ExpectedVersion.any(), List.of(
                EventData.of("Added", Totals.amount(11)).withTags(Set.of(vip))));
        try (var runtime = ProjectionRuntime.builder(store.store).build()) {
            runtime.register(new Totals("vip", Selection.tagged(vip).andStreamPrefix("order-")), ProjectionOptions.DEFAULTS);
            runtime.start();
            await().until(() -> runtime.status("vip").orElseThrow().state() == ProjectionState.LIVE);
            // Totals numbers versions per stream; the first version it sees of order-1 is 0
            assertThat(store.totals()).containsOnlyKeys("order-1");
            assertThat(store.totals().get("order-1").getFirst()).isEqualTo(5L);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aProjectionKnownWithOtherPartitionsIsRefusedUntilRebuilt(String kind) {
        var store = open(kind);
        try (var runtime = ProjectionRuntime.builder(store.store).build()) {
            runtime.register(new Totals("totals", Selection.ALL), ProjectionOptions.DEFAULTS.withPartitions(2));
        }
        try (var runtime = ProjectionRuntime.builder(store.store).lease(Duration.ofSeconds(1)).build()) {
            assertThatThrownBy(() -> runtime.register(new Totals("totals", Selection.ALL), ProjectionOptions.DEFAULTS))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("runs 2 partitions");
            assertThatThrownBy(() -> runtime.register(new Totals("bad name", Selection.ALL)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
