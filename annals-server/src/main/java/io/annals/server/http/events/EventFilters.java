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

/**
 * Reads {@code types} and {@code streamPrefix} or {@code category} query parameters into an
 * {@link EventFilter}. A category is what a stream id holds before its first {@code -}
 * ({@code order-10} is of category {@code order}): {@code category=order} is the prefix
 * {@code order-}, so that it selects {@code order-1} and {@code order-10} and not
 * {@code orders-1}; a prefix is matched as it is given ({@code order-1} matches {@code order-10} too).
 */
final class EventFilters {

    private static final int MAX_TYPES = 100;
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:@-]*");
    private static final Pattern CATEGORY = Pattern.compile("[A-Za-z0-9._:@]+");

    private EventFilters() {
    }

    static EventFilter from(Context ctx) {
        var types = new LinkedHashSet<String>();
        for (String value : ctx.queryParams("types")) {
            for (String type : value.split(",", -1)) {
                if (type.isBlank() || type.codePointCount(0, type.length()) > EventData.MAX_TYPE_LENGTH) {
                    throw ApiProblem.badRequest("types must be a comma-separated list of event types of 1 to "
                            + EventData.MAX_TYPE_LENGTH + " characters");
                }
                types.add(type);
            }
        }
        if (types.size() > MAX_TYPES) {
            throw ApiProblem.badRequest("at most " + MAX_TYPES + " types may be given");
        }
        String category = QueryParams.single(ctx, "category");
        String given = QueryParams.single(ctx, "streamPrefix");
        if (category != null && given != null) {
            throw ApiProblem.badRequest("give either category or streamPrefix, not both");
        }
        if (category != null && (category.length() >= StreamId.MAX_LENGTH || !CATEGORY.matcher(category).matches())) {
            throw ApiProblem.badRequest("category is the part of a stream id before its first '-': letters, digits, _ . : @, "
                    + "at most " + (StreamId.MAX_LENGTH - 1) + "; got '" + QueryParams.abbreviate(category) + "'");
        }
        String prefix = category != null ? category + "-" : given == null ? "" : given;
        if (prefix.length() > StreamId.MAX_LENGTH || !PREFIX.matcher(prefix).matches()) {
            throw ApiProblem.badRequest("streamPrefix may only contain the characters of a stream id (letters, digits, - _ . : @), at most "
                    + StreamId.MAX_LENGTH + "; got '" + QueryParams.abbreviate(prefix) + "'");
        }
        return new EventFilter(types, prefix);
    }
}
