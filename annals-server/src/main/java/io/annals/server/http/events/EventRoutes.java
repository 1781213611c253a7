package io.annals.server.http.events;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.node.JsonResponses;
import io.annals.node.Role;
import io.annals.node.Routes;
import io.annals.server.http.EventPages;
import io.annals.node.QueryParams;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.javalin.http.Context;
import java.util.List;

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
        List<RecordedEvent> events = store.readAll(after, limit, filter);
        Position next = events.isEmpty() ? after : events.getLast().position();
        EventPages.send(json, ctx, events, next.toString());
    }
}
