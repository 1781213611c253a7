package io.annals.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.property.Draw;
import io.annals.property.Property;
import io.annals.store.ExpectedVersion;
import io.annals.store.jdbc.JdbcEventStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent writers (some of whose transactions roll back) and a projection of four partitions
 * whose runtimes are killed and restarted at random points: the read model ends equal to the fold
 * of the committed events. The projection refuses an event out of stream order, so a skipped or
 * repeated event would show as a dead letter or a wrong total.
 */
class ProjectionStressTest {

    private static final int WRITERS = 4;
    private static final int APPENDS_PER_WRITER = 40;
    private static final int STREAMS = 12;
    private static final int RESTARTS = 5;
    private static final Duration LEASE = Duration.ofMillis(800);
    private static final ProjectionOptions OPTIONS = ProjectionOptions.DEFAULTS.withPartitions(4).withBatchSize(8);

    @TempDir
    Path directory;

    /** Not a failure of the test: a writer's transaction that rolls back on purpose. */
    private static final class RolledBack extends RuntimeException {
        RolledBack() {
            super("rolled back on purpose", null, false, false);
        }
    }

    @Test
    void twoRuntimesOnPostgresKilledAndRestartedAtRandomPointsEndWithTheFold() {
        Property.check(1, draw -> {
            try (var target = StoreUnderTest.postgres("stress"); JdbcEventStore other = StoreUnderTest.sameDatabase(target)) {
                run(draw, target, List.of(target.store, other));
            }
        });
    }

    @Test
    void oneRuntimeOnSqliteKilledAndRestartedAtRandomPointsEndsWithTheFold() {
        Property.check(1, draw -> {
            try (var target = StoreUnderTest.sqlite(directory)) {
                run(draw, target, List.of(target.store));
            }
        });
    }

    private void run(Draw draw, StoreUnderTest target, List<JdbcEventStore> stores) throws Exception {
        var runtimes = new ArrayList<ProjectionRuntime>();
        var generation = new AtomicInteger();
        for (JdbcEventStore store : stores) {
            runtimes.add(startRuntime(store, generation.incrementAndGet()));
        }
        long writerSeed = draw.anyLong();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            var done = new ArrayList<Future<?>>();
            for (int w = 0; w < WRITERS; w++) {
                var random = new SplittableRandom(writerSeed + w);
                done.add(writers.submit(() -> write(target.store, random)));
            }
            long total = (long) WRITERS * APPENDS_PER_WRITER;
            for (int round = 1; round <= RESTARTS; round++) {
                long progress = total * round / (RESTARTS + 1) - draw.longBetween(0, total / (RESTARTS + 1) / 2);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> applied(target) >= progress * 3 / 4 || done.stream().allMatch(Future::isDone));
                int slot = draw.intBetween(0, stores.size() - 1);
                if (draw.percent(50)) {
                    runtimes.get(slot).halt();
                } else {
                    runtimes.get(slot).close();
                }
                runtimes.set(slot, startRuntime(stores.get(slot), generation.incrementAndGet()));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
        try {
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(target.totals()).isEqualTo(target.expectedTotals(e -> true)));
            assertThat(runtimes.getFirst().deadLetters(Optional.empty(), 10)).isEmpty();
        } finally {
            runtimes.forEach(ProjectionRuntime::close);
        }
    }

    private static ProjectionRuntime startRuntime(JdbcEventStore store, int number) {
        var runtime = ProjectionRuntime.builder(store).owner("runtime-" + number).lease(LEASE).build();
        runtime.register(new Totals("totals", Selection.ALL), OPTIONS);
        runtime.start();
        return runtime;
    }

    private static long applied(StoreUnderTest target) {
        return target.totals().values().stream().mapToLong(row -> row.get(1)).sum();
    }

    private static Void write(JdbcEventStore store, SplittableRandom random) {
        for (int i = 0; i < APPENDS_PER_WRITER; i++) {
            StreamId stream = StreamId.of("acct-" + random.nextInt(STREAMS));
            var event = EventData.of("Added", Totals.amount(random.nextInt(1, 1000)));
            if (random.nextInt(5) == 0) {
                try {
                    store.inTransaction(tx -> {
                        tx.append(stream, ExpectedVersion.any(), List.of(event));
                        throw new RolledBack();
                    });
                } catch (RolledBack expected) {
                    // nothing of it was committed
                }
            } else {
                store.append(stream, ExpectedVersion.any(), List.of(event));
            }
        }
        return null;
    }
}
