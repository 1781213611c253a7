package io.annals.server.http.ops;

import io.annals.event.Position;
import io.annals.server.http.HttpModule;
import io.annals.server.http.JsonResponses;
import io.annals.server.http.events.LiveStreams;
import io.annals.store.EventStore;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /health}: 200 when the store answers and no live stream has failed, 503 otherwise. */
public final class HealthRoutes implements HttpModule {

    public static final String PATH = "/health";
    private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);

    private final EventStore store;
    private final LiveStreams liveStreams;
    private final String storeDescription;
    private final JsonResponses json;

    public HealthRoutes(EventStore store, LiveStreams liveStreams, String storeDescription, JsonResponses json) {
        this.store = store;
        this.json = json;
        this.liveStreams = liveStreams;
        this.storeDescription = storeDescription;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get(PATH, this::health);
    }

    private void health(Context ctx) {
        boolean storeUp = storeReachable();
        long failed = liveStreams.failedCount();
        boolean up = storeUp && failed == 0;
        var body = new LinkedHashMap<String, Object>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("store", Map.of("status", storeUp ? "UP" : "DOWN", "kind", storeDescription));
        body.put("subscriptions", Map.of("open", liveStreams.count(), "failed", failed));
        json.send(ctx, up ? 200 : 503, body);
    }

    private boolean storeReachable() {
        try {
            store.readAll(Position.START, 1);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("health check: store unreachable: {}", e.toString());
            return false;
        }
    }
}
