package io.annals.server.http.events;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.node.ApiProblem;
import io.annals.node.QueryParams;
import io.annals.store.EventFilter;
import io.javalin.http.Context;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Reads {@code types} and {@code streamPrefix} query parameters into an {@link EventFilter}. */
final class EventFilters {

    private static final int MAX_TYPES = 100;
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:@-]*");

    private EventFilters() {
    }

    static EventFilter from(Context ctx) {
        var types = new LinkedHashSet<String>();
        for (String value : ctx.queryParams("types")) {
            for (String type : value.split(",", -1)) {
                if (type.isBlank() || type.length() > EventData.MAX_TYPE_LENGTH) {
                    throw ApiProblem.badRequest("types must be a comma-separated list of event types of 1 to "
                            + EventData.MAX_TYPE_LENGTH + " characters");
                }
                types.add(type);
            }
        }
        if (types.size() > MAX_TYPES) {
            throw ApiProblem.badRequest("at most " + MAX_TYPES + " types may be given");
        }
        List<String> prefixes = ctx.queryParams("streamPrefix");
        if (prefixes.size() > 1) {
            throw ApiProblem.badRequest("query parameter 'streamPrefix' is given more than once");
        }
        String prefix = prefixes.isEmpty() ? "" : prefixes.getFirst();
        if (prefix.length() > StreamId.MAX_LENGTH || !PREFIX.matcher(prefix).matches()) {
            throw ApiProblem.badRequest("streamPrefix may only contain the characters of a stream id (letters, digits, - _ . : @), at most "
                    + StreamId.MAX_LENGTH + "; got '" + QueryParams.abbreviate(prefix) + "'");
        }
        return new EventFilter(types, prefix);
    }
}
