package io.annals.server.http;

import io.annals.node.HealthCheck.Health;
import io.annals.node.NodeContext;
import io.annals.node.NodeModule;
import io.annals.server.http.events.EventRoutes;
import io.annals.server.http.events.EventStreamRoutes;
import io.annals.server.http.events.LiveStreams;
import io.annals.server.http.streams.AppendRequestParser;
import io.annals.server.http.streams.StreamAppends;
import io.annals.server.http.streams.StreamRoutes;
import io.annals.store.AppendLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The event store over HTTP: {@code /api/streams/{streamId}} (append, also under a condition:
 * admin; read: user; delete: admin), {@code /api/events} and {@code /api/events/query} (user), the
 * live event streams {@code /api/events/stream}, {@code /api/events/query/stream} and
 * {@code /api/streams/{streamId}/live} (user), a stream's version (user) and the export
 * {@code /api/export} (admin).
 * <p>
 * Settings: {@code store-api.heartbeat}, how often an idle event stream sends a comment so that
 * proxies keep it open (default 15 s, at most 20 s: an idle connection is closed after 30 s).
 */
public final class StoreApiModule implements NodeModule {

    public static final String NAME = "store-api";
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    public static final Duration MAX_HEARTBEAT = Duration.ofSeconds(20);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void install(NodeContext node) {
        Duration heartbeat = node.settings().duration("heartbeat", DEFAULT_HEARTBEAT);
        if (heartbeat.isNegative() || heartbeat.isZero() || heartbeat.compareTo(MAX_HEARTBEAT) > 0) {
            throw new IllegalArgumentException("setting " + NAME + ".heartbeat must be between 1 ms and "
                    + MAX_HEARTBEAT.toSeconds() + " s, got " + heartbeat);
        }
        var metrics = new StoreApiMetrics(node.meterRegistry());
        var liveStreams = new LiveStreams();
        metrics.gaugeOpenStreams(liveStreams::count);
        Clock clock = Clock.systemUTC();
        metrics.gaugeLag(() -> liveStreams.maxLag(clock.instant()));
        var appends = new StreamAppends(node.store(), node.bodies(),
                new AppendRequestParser(AppendLimits.DEFAULT.maxEventsPerAppend()), metrics);

        new StreamRoutes(node.store(), node.bodies(), appends, node.json()).register(node.routes());
        new EventRoutes(node.store(), node.json(), node.bodies()).register(node.routes());
        new ExportRoutes(node.store()).register(node.routes());
        new EventStreamRoutes(node.store(), liveStreams, heartbeat, clock, node.bodies()).register(node.routes());

        node.healthCheck("subscriptions", () -> {
            long failed = liveStreams.failedCount();
            Map<String, Object> details = Map.of("open", liveStreams.count(), "failed", failed);
            return failed == 0 ? Health.up(details) : Health.down(details);
        });
        // live streams never end by themselves: end them first, so that stopping waits only for other requests
        node.onStopping(liveStreams::closeAll);
    }
}
