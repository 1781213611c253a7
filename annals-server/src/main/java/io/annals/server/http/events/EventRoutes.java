package io.annals.server.http.events;

import io.annals.event.Position;
import io.annals.node.JsonResponses;
import io.annals.node.Role;
import io.annals.node.Routes;
import io.annals.server.http.EventPages;
import io.annals.node.QueryParams;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.QueryRead;
import io.javalin.http.Context;

/** {@code GET /api/events}: pages through all events in global order. */
public final class EventRoutes {

    public static final String PATH = "/api/events";

    private final EventStore store;
    private final JsonResponses json;

    public EventRoutes(EventStore store, JsonResponses json) {
        this.store = store;
        this.json = json;
    }

    public void register(Routes routes) {
        routes.get(PATH, Role.USER, this::readAll);
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
}
