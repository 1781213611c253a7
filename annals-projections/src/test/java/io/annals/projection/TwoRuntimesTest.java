package io.annals.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.event.Position;
import io.annals.store.jdbc.JdbcEventStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two runtimes on one PostgreSQL database, as two processes would run: a partition is held by one
 * of them at a time, one that dies is replaced within a bounded time, and one frozen past its
 * lease cannot commit when it wakes.
 */
class TwoRuntimesTest {

    private static final Duration LEASE = Duration.ofSeconds(1);
    /** Expiry of the lease plus a claim interval, with room for a loaded machine. */
    private static final Duration TAKEOVER_BOUND = LEASE.multipliedBy(4);

    private StoreUnderTest target;
    private JdbcEventStore second;

    @BeforeEach
    void open() {
        target = StoreUnderTest.postgres("two_runtimes");
        second = StoreUnderTest.sameDatabase(target);
    }

    @AfterEach
    void close() {
        second.close();
        target.close();
    }

    private static List<Integer> held(ProjectionRuntime runtime) {
        return runtime.status("totals").orElseThrow().partitions().stream().filter(PartitionStatus::held)
                .map(PartitionStatus::partition).toList();
    }

    @Test
    void eachPartitionRunsInOneRuntimeAndADeadOneIsReplacedWithinTheBound() {
        for (int i = 0; i < 40; i++) {
            target.add("order-" + (i % 10), i);
        }
        var first = ProjectionRuntime.builder(target.store).owner("first").lease(LEASE).build();
        var other = ProjectionRuntime.builder(second).owner("second").lease(LEASE).build();
        try (other) {
            first.register(new Totals("totals", Selection.ALL), ProjectionOptions.DEFAULTS.withPartitions(4));
            other.register(new Totals("totals", Selection.ALL), ProjectionOptions.DEFAULTS.withPartitions(4));
            first.start();
            await().until(() -> held(first).size() == 4);
            other.start();
            await().untilAsserted(() -> assertThat(target.totals()).isEqualTo(target.expectedTotals(e -> true)));
            assertThat(held(other)).as("every partition is the first runtime's until its leases end").isEmpty();

            first.halt();
            long halted = System.nanoTime();
            await().atMost(TAKEOVER_BOUND).until(() -> held(other).size() == 4);
            assertThat(Duration.ofNanos(System.nanoTime() - halted)).isGreaterThanOrEqualTo(LEASE.dividedBy(2));
            for (int i = 0; i < 20; i++) {
                target.add("order-" + i, 1000 + i);
            }
            await().untilAsserted(() -> assertThat(target.totals()).isEqualTo(target.expectedTotals(e -> true)));
            assertThat(other.deadLetters(Optional.empty(), 10)).isEmpty();
        }
    }

    @Test
    void workInTheLeaseMovesTheCheckpointOnlyOnTheHolder() {
        // a partition that selects no events: its owner follows the store itself and records how far it got
        var first = ProjectionRuntime.builder(target.store).owner("first").lease(LEASE).build();
        var other = ProjectionRuntime.builder(second).owner("second").lease(LEASE).build();
        try (first; other) {
            first.register(new Totals("relay", Selection.NONE));
            other.register(new Totals("relay", Selection.NONE));
            first.start();
            await().until(() -> first.holds("relay", 0));
            other.start();
            await().until(() -> other.localStatus("relay", 0).orElseThrow().state() == ProjectionState.WAITING);

            assertThat(other.inLease("relay", 0, Position.of(7), tx -> "delivered")).isEmpty();
            assertThat(first.checkpoint("relay", 0)).isEqualTo(Position.START);
            assertThat(first.inLease("relay", 0, Position.of(7), tx -> "delivered")).contains("delivered");
            assertThat(other.checkpoint("relay", 0)).as("the stored checkpoint, seen from every runtime")
                    .isEqualTo(Position.of(7));
            assertThat(first.localStatus("relay", 0).orElseThrow().held()).isTrue();
            assertThat(other.localStatus("relay", 0).orElseThrow().held()).isFalse();
            assertThat(first.localStatus("relay", 1)).isEmpty();

            target.add("order-1", 1);
            ProjectionStatus status = first.status("relay").orElseThrow();
            assertThat(status.state()).isEqualTo(ProjectionState.LIVE);
            assertThat(status.lagEvents()).as("a lease-only partition has nothing to catch up on").isZero();
            assertThat(status.eventsHandled()).isZero();
        }
    }

    @Test
    void aRebuildByOneRuntimeIsFollowedByTheOther() {
        for (int i = 0; i < 20; i++) {
            target.add("order-" + (i % 5), i + 1);
        }
        var builder = ProjectionRuntime.builder(target.store).owner("builder").lease(LEASE).build();
        var follower = ProjectionRuntime.builder(second).owner("follower").lease(LEASE).build();
        var options = ProjectionOptions.DEFAULTS.withPartitions(2);
        try (follower) {
            try (builder) {
                builder.register(new Totals("totals", Selection.ALL, 2), options);
                follower.register(new Totals("totals", Selection.ALL, 2), options);
                follower.start();
                builder.start();
                await().untilAsserted(() -> assertThat(target.totals()).isEqualTo(target.expectedTotals(e -> true, 2)));
                builder.rebuild("totals");
                await().until(() -> builder.status("totals").orElseThrow().rebuild().isEmpty());
            }
            // the builder is gone; the follower must run the new generation's partitions
            await().atMost(TAKEOVER_BOUND.multipliedBy(2)).until(() -> held(follower).size() == 2);
            target.add("order-9", 5);
            await().untilAsserted(() -> assertThat(target.totals()).isEqualTo(target.expectedTotals(e -> true, 2)));
        }
    }

    @Test
    void aRuntimeFrozenPastItsLeaseCannotCommitWhenItWakes() throws InterruptedException {
        target.add("order-1", 1);
        var frozenTotals = new Totals("totals", Selection.ALL);
        var frozen = ProjectionRuntime.builder(target.store).owner("frozen").lease(LEASE).build();
        var successor = ProjectionRuntime.builder(second).owner("successor").lease(LEASE).build();
        var options = ProjectionOptions.DEFAULTS.withBatchSize(1);
        try (successor) {
            frozen.register(frozenTotals, options);
            frozen.start();
            await().untilAsserted(() -> assertThat(target.totals()).isEqualTo(target.expectedTotals(e -> true)));
            successor.register(new Totals("totals", Selection.ALL), options);
            successor.start();

            var entered = new CountDownLatch(1);
            var wake = new CountDownLatch(1);
            frozenTotals.before = (event, model) -> {
                if (event.streamId().value().equals("order-2")) {
                    entered.countDown();
                    try {
                        wake.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            target.add("order-2", 2);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

            await().atMost(TAKEOVER_BOUND).until(() -> held(successor).size() == 1);
            target.add("order-2", 3);
            await().untilAsserted(() -> assertThat(target.totals()).isEqualTo(target.expectedTotals(e -> true)));
            long successorFence = successor.status("totals").orElseThrow().partitions().getFirst().fence();

            wake.countDown();
            await().until(() -> held(frozen).isEmpty());
            assertThat(frozen.status("totals").orElseThrow().partitions().getFirst().state())
                    .isEqualTo(ProjectionState.WAITING);
            // had the late commit gone through, order-2 would show its first event twice
            assertThat(target.totals()).isEqualTo(target.expectedTotals(e -> true));
            assertThat(successor.status("totals").orElseThrow().partitions().getFirst().fence()).isEqualTo(successorFence);
            assertThat(successor.deadLetters(Optional.empty(), 10)).isEmpty();
        } finally {
            frozen.close();
        }
    }
}
