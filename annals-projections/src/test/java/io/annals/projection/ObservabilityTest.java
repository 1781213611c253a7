package io.annals.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A projection reports its state, checkpoint, lag, rate and errors, in its status and through Micrometer. */
class ObservabilityTest {

    @TempDir
    Path directory;

    private StoreUnderTest target;

    @BeforeEach
    void open() {
        target = StoreUnderTest.sqlite(directory);
    }

    @AfterEach
    void close() {
        target.close();
    }

    @Test
    void statusAndMetersFollowTheProjection() {
        for (int i = 0; i < 25; i++) {
            target.add("order-" + (i % 5), i);
        }
        target.add("bad-1", 1);
        var meters = new SimpleMeterRegistry();
        var totals = new Totals("totals", Selection.ALL);
        totals.failing = event -> event.streamId().value().equals("bad-1");
        var committed = new java.util.concurrent.atomic.AtomicLong();
        try (var runtime = ProjectionRuntime.builder(target.store).meterRegistry(meters)
                .afterCommit(events -> committed.addAndGet(events.size())).build()) {
            runtime.register(totals, ProjectionOptions.DEFAULTS.withPartitions(2).withOnFailure(OnFailure.SKIP)
                    .withRetries(2, Duration.ZERO, Duration.ZERO));
            var before = runtime.status("totals").orElseThrow();
            assertThat(before.state()).isEqualTo(ProjectionState.STOPPED);
            assertThat(before.lagEvents()).isEqualTo(26);
            assertThat(before.lag()).isPositive();

            runtime.start();
            await().until(() -> runtime.status("totals").orElseThrow().state() == ProjectionState.LIVE);
            var after = runtime.status("totals").orElseThrow();
            assertThat(after.lagEvents()).isZero();
            assertThat(after.lag()).isZero();
            assertThat(after.eventsHandled()).isEqualTo(25);
            assertThat(committed.get()).as("told of every committed event").isEqualTo(25);
            assertThat(after.errors()).isEqualTo(2);
            assertThat(after.partitions()).hasSize(2).allSatisfy(partition -> {
                assertThat(partition.held()).isTrue();
                assertThat(partition.checkpoint()).isEqualTo(target.all().getLast().position());
            });
            await().until(() -> runtime.status("totals").orElseThrow().eventsPerSecond() > 0);

            assertThat(meters.get("annals.projection.events").tag("projection", "totals").counter().count()).isEqualTo(25);
            // the two tries of the event alone; the failed batch only sent it there
            assertThat(meters.get("annals.projection.errors").tag("projection", "totals").counter().count()).isEqualTo(2);
            assertThat(meters.get("annals.projection.dead.letters").tag("projection", "totals").counter().count()).isEqualTo(1);
            assertThat(meters.get("annals.projection.state").tag("projection", "totals").gauge().value())
                    .isEqualTo(ProjectionState.LIVE.ordinal());
        }
    }
}
