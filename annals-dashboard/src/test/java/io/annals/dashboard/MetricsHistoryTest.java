package io.annals.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsHistoryTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final long SECOND = 1_000_000_000L;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MetricsHistory history = new MetricsHistory(registry, Clock.fixed(NOW, ZoneOffset.UTC),
            Duration.ofSeconds(1), Duration.ofSeconds(3));

    private void request(String route, long millis) {
        Timer.builder("http.server.requests").tag("method", "GET").tag("route", route).tag("status", "200")
                .register(registry).record(millis, TimeUnit.MILLISECONDS);
    }

    private static RecordedEvent recordedAgo(long millis) {
        return new RecordedEvent(StreamId.of("order-1"), 0, Position.START, UUID.randomUUID(), "Placed", "{}", Metadata.EMPTY,
                NOW.minusMillis(millis), NOW.minusMillis(millis));
    }

    @Test
    void eachSampleIsWhatHappenedSinceTheOneBefore() {
        history.sample(0);
        assertThat(history.samples()).isEmpty();

        request("/api/streams/{streamId}", 10);
        request("/api/streams/{streamId}", 30);
        request("/api/events/stream", 60_000);
        request("/api/dashboard/metrics", 5);
        request("/", 1);
        history.recorded(List.of(recordedAgo(4), recordedAgo(8)));
        history.sample(2 * SECOND);

        MetricsHistory.Sample first = history.samples().getFirst();
        assertThat(first.at()).isEqualTo(NOW.toEpochMilli());
        assertThat(first.requestsPerSecond()).isEqualTo(1.0);
        assertThat(first.requestMeanMillis()).isCloseTo(20.0, within(0.001));
        assertThat(first.requestMaxMillis()).isCloseTo(30.0, within(0.001));
        assertThat(first.eventsPerSecond()).isEqualTo(1.0);
        assertThat(first.deliveryMeanMillis()).isCloseTo(6.0, within(0.001));
        assertThat(first.deliveryMaxMillis()).isCloseTo(8.0, within(0.001));
        assertThat(first.appendMeanMillis()).isNull();

        history.sample(3 * SECOND);
        MetricsHistory.Sample quiet = history.samples().getLast();
        assertThat(quiet.requestsPerSecond()).isZero();
        assertThat(quiet.eventsPerSecond()).isZero();
        assertThat(quiet.requestMeanMillis()).isNull();
        assertThat(quiet.deliveryMeanMillis()).isNull();
    }

    @Test
    void keepsOnlyTheSamplesOfItsHistory() {
        for (int i = 0; i <= 10; i++) {
            history.sample(i * SECOND);
        }
        assertThat(history.samples()).hasSize(3);
    }

    @Test
    void countsTheApiLessTheDashboardAndTheEventStreams() {
        assertThat(MetricsHistory.counted("/api/users")).isTrue();
        assertThat(MetricsHistory.counted("/api/streams/{streamId}")).isTrue();
        assertThat(MetricsHistory.counted("/api/events/stream")).isFalse();
        assertThat(MetricsHistory.counted("/api/events/query/stream")).isFalse();
        assertThat(MetricsHistory.counted("/api/streams/{streamId}/live")).isFalse();
        assertThat(MetricsHistory.counted("/api/dashboard/metrics")).isFalse();
        assertThat(MetricsHistory.counted("/ui/{file}")).isFalse();
        assertThat(MetricsHistory.counted("/metrics")).isFalse();
        assertThat(MetricsHistory.counted("unmatched")).isFalse();
    }
}
