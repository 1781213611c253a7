package io.annals.server.http.events;

import io.annals.event.Position;
import io.annals.node.JsonResponses;
import io.annals.node.Role;
import io.annals.node.Routes;
import io.annals.server.http.EventPages;
import io.annals.node.QueryParams;
import io.annals.node.RequestBodies;
import io.annals.server.http.StoreCapabilities;
import io.annals.store.EventQuery;
import io.annals.store.QueryRead;
import io.annals.store.QueryReader;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.QueryRead;
import io.javalin.http.Context;

/**
 * {@code GET /api/events}: pages through all events in global order; {@code GET
 * /api/events/query}: pages through the events that match a query, in global order.
 */
public final class EventRoutes {

    public static final String PATH = "/api/events";
    public static final String QUERY_PATH = "/api/events/query";

    private final EventStore store;
    private final JsonResponses json;
    private final RequestBodies bodies;

    public EventRoutes(EventStore store, JsonResponses json, RequestBodies bodies) {
        this.store = store;
        this.json = json;
        this.bodies = bodies;
    }

    public void register(Routes routes) {
        routes.get(PATH, Role.USER, this::readAll);
        routes.get(QUERY_PATH, Role.USER, this::readByQuery);
    }

    private void readAll(Context ctx) {
        Position after = QueryParams.position("after", QueryParams.single(ctx, "after"));
        int limit = QueryParams.limit(ctx);
        EventFilter filter = EventFilters.from(ctx);
        // next is how far the read looked, not its last match: a client polling for a rare type
        // continues past what it has already searched
        QueryRead page = store.readAllScanned(after, limit, filter);
        EventPages.send(json, ctx, page.events(), page.scannedTo().toString());
    }

    /** {@code next} is where the read looked up to, not the last match: read on after it while pages come back full. */
    private void readByQuery(Context ctx) {
        EventQuery query = EventQueries.from(ctx, bodies);
        Position after = QueryParams.position("after", QueryParams.single(ctx, "after"));
        int limit = QueryParams.limit(ctx);
        QueryRead page = StoreCapabilities.require(store, QueryReader.class, "read by query").read(query, after, limit);
        EventPages.send(json, ctx, page.events(), page.scannedTo().toString());
    }
}
