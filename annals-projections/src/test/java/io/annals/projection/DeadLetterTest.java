package io.annals.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A failing handler is retried with back-off, then its event is parked; the projection stops or skips. */
class DeadLetterTest {

    private static final ProjectionOptions QUICK_RETRIES = ProjectionOptions.DEFAULTS
            .withRetries(3, Duration.ofMillis(5), Duration.ofMillis(20));

    @TempDir
    Path directory;

    private StoreUnderTest target;

    private StoreUnderTest open(String kind) {
        target = kind.equals("sqlite") ? StoreUnderTest.sqlite(directory) : StoreUnderTest.postgres("dead_letters");
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
    void byDefaultTheProjectionStopsBeforeAParkedEventUntilItIsRetried(String kind) {
        var store = open(kind);
        store.add("order-1", 1);
        store.add("order-1", 2);
        store.add("order-1", 3);
        var totals = new Totals("totals", Selection.ALL);
        totals.failing = event -> event.version() == 1;
        try (var runtime = ProjectionRuntime.builder(store.store).build()) {
            runtime.register(totals, QUICK_RETRIES);
            runtime.start();
            await().until(() -> runtime.status("totals").orElseThrow().state() == ProjectionState.FAILED);
            var letters = runtime.deadLetters(Optional.of("totals"), 10);
            assertThat(letters).singleElement().satisfies(letter -> {
                assertThat(letter.version()).isEqualTo(1);
                assertThat(letter.blocking()).isTrue();
                assertThat(letter.attempts()).isEqualTo(3);
                assertThat(letter.error()).contains("refused order-1@1");
            });
            assertThat(store.totals().get("order-1")).containsExactly(1L, 1L, 0L);

            assertThat(runtime.retry(letters.getFirst().id()).applied()).isFalse();
            assertThat(runtime.deadLetters(Optional.empty(), 10).getFirst().attempts()).isEqualTo(4);

            totals.failing = event -> false;
            assertThat(runtime.retry(letters.getFirst().id()).applied()).isTrue();
            await().untilAsserted(() -> assertThat(store.totals().get("order-1")).containsExactly(6L, 3L, 2L));
            await().until(() -> runtime.status("totals").orElseThrow().state() == ProjectionState.LIVE);
            assertThat(runtime.deadLetters(Optional.empty(), 10)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aDiscardedBlockingDeadLetterLetsThePartitionGoOnAfterIt(String kind) {
        var store = open(kind);
        store.add("bad-1", 100);
        store.add("order-1", 1);
        var totals = new Totals("totals", Selection.ALL);
        totals.failing = event -> event.streamId().value().equals("bad-1");
        try (var runtime = ProjectionRuntime.builder(store.store).build()) {
            runtime.register(totals, QUICK_RETRIES);
            runtime.start();
            await().until(() -> !runtime.deadLetters(Optional.empty(), 10).isEmpty());
            assertThat(store.totals()).isEmpty();

            runtime.discard(runtime.deadLetters(Optional.empty(), 10).getFirst().id());
            await().untilAsserted(() -> assertThat(store.totals()).containsOnlyKeys("order-1"));
            assertThatThrownBy(() -> runtime.discard(999_999)).isInstanceOf(NoSuchElementException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void whenToldToSkipTheProjectionGoesOnAndTheDeadLetterCanBeRetriedLater(String kind) {
        var store = open(kind);
        store.add("bad-1", 100);
        store.add("order-1", 1);
        var totals = new Totals("totals", Selection.ALL);
        totals.failing = event -> event.streamId().value().equals("bad-1");
        try (var runtime = ProjectionRuntime.builder(store.store).build()) {
            runtime.register(totals, QUICK_RETRIES.withOnFailure(OnFailure.SKIP));
            runtime.start();
            await().untilAsserted(() -> assertThat(store.totals()).containsOnlyKeys("order-1"));
            store.add("order-2", 2);
            await().untilAsserted(() -> assertThat(store.totals()).containsOnlyKeys("order-1", "order-2"));
            var letter = runtime.deadLetters(Optional.of("totals"), 10).getFirst();
            assertThat(letter.blocking()).isFalse();
            assertThat(runtime.status("totals").orElseThrow().state()).isEqualTo(ProjectionState.LIVE);

            totals.failing = event -> false;
            assertThat(runtime.retry(letter.id()).applied()).isTrue();
            assertThat(store.totals().get("bad-1")).containsExactly(100L, 1L, 0L);
            assertThat(runtime.deadLetters(Optional.empty(), 10)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aHandlerThatFailsLessOftenThanTheAttemptsParksNothing(String kind) {
        var store = open(kind);
        store.add("order-1", 1);
        store.add("order-1", 2);
        var failures = new AtomicInteger();
        var totals = new Totals("totals", Selection.ALL);
        totals.failing = event -> event.version() == 1 && failures.incrementAndGet() <= 2;
        try (var runtime = ProjectionRuntime.builder(store.store).build()) {
            runtime.register(totals, QUICK_RETRIES);
            runtime.start();
            await().untilAsserted(() -> assertThat(store.totals().get("order-1")).containsExactly(3L, 2L, 1L));
            // the batch try and the first event-by-event try fail; the second succeeds
            assertThat(runtime.status("totals").orElseThrow().errors()).isEqualTo(1);
            assertThat(runtime.deadLetters(Optional.empty(), 10)).isEmpty();
        }
    }
}
