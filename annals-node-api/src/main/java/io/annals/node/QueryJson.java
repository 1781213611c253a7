package io.annals.node;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.annals.event.EventData;
import io.annals.event.Tag;
import io.annals.store.EventQuery;
import io.annals.store.QueryItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one JSON shape of an {@link EventQuery} over HTTP, read strictly and written back:
 * {@code {"items":[{"types":["A","B"],"tags":["key:value"]}, ...]}}; an item names at least one
 * type or tag; an event matches an item when its type is one of the item's types (any type when
 * none is given) and it carries all of its tags, and the query when it matches any item. Every
 * malformed part is an {@link ApiProblem} 400 that says which item and which field.
 */
public final class QueryJson {

    /** How many types one item may name. */
    public static final int MAX_TYPES_PER_ITEM = 100;

    private QueryJson() {
    }

    /** Reads a document that is one query and nothing else (a query parameter's value, say). */
    public static EventQuery readDocument(JsonParser parser, String what) throws IOException {
        EventQuery query = read(parser, parser.nextToken(), what);
        if (parser.nextToken() != null) {
            throw ApiProblem.badRequest(what + ": content after the query");
        }
        return query;
    }

    /**
     * Reads a query whose first token, {@code first}, the parser stands on; leaves the parser on
     * its last token. {@code what} names the query in error details.
     */
    public static EventQuery read(JsonParser parser, JsonToken first, String what) throws IOException {
        if (first != JsonToken.START_OBJECT) {
            throw problem(what, "must be a JSON object {\"items\":[{\"types\":[...],\"tags\":[...]}]}");
        }
        List<QueryItem> items = null;
        String field;
        while ((field = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            if (!field.equals("items")) {
                throw problem(what, "has unknown field '" + QueryParams.abbreviate(field) + "'; allowed: items");
            }
            items = items(parser, value, what);
        }
        if (items == null || items.isEmpty()) {
            throw problem(what, "needs at least one item in 'items'");
        }
        return new EventQuery(items);
    }

    private static List<QueryItem> items(JsonParser parser, JsonToken value, String what) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw problem(what, "items must be an array of {\"types\":[...],\"tags\":[...]} objects");
        }
        var items = new ArrayList<QueryItem>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (items.size() == EventQuery.MAX_ITEMS) {
                throw problem(what, "has more than " + EventQuery.MAX_ITEMS + " items");
            }
            items.add(item(parser, what + ": item " + items.size()));
        }
        return items;
    }

    private static QueryItem item(JsonParser parser, String where) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw problem(where, "must be a JSON object {\"types\":[...],\"tags\":[...]}");
        }
        Set<String> types = Set.of();
        Set<Tag> tags = Set.of();
        String field;
        while ((field = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            switch (field) {
                case "types" -> types = types(parser, value, where);
                case "tags" -> tags = tags(parser, value, where);
                default -> throw problem(where, "has unknown field '" + QueryParams.abbreviate(field)
                        + "'; allowed: types, tags");
            }
        }
        if (types.isEmpty() && tags.isEmpty()) {
            throw problem(where, "names no type and no tag; an item needs at least one");
        }
        return new QueryItem(types, tags);
    }

    private static Set<String> types(JsonParser parser, JsonToken value, String where) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw problem(where, "types must be an array of event types");
        }
        var types = new LinkedHashSet<String>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String type = parser.currentToken() == JsonToken.VALUE_STRING ? parser.getText() : null;
            if (type == null || type.isBlank() || type.length() > EventData.MAX_TYPE_LENGTH) {
                throw problem(where, "types must be strings of 1 to " + EventData.MAX_TYPE_LENGTH + " non-blank characters");
            }
            if (types.size() == MAX_TYPES_PER_ITEM) {
                throw problem(where, "names more than " + MAX_TYPES_PER_ITEM + " types");
            }
            types.add(type);
        }
        return types;
    }

    /**
     * An array of {@code key:value} strings (see {@link Tag}), or {@code null} for none; the parser
     * stands on {@code value} and is left on the array's end. {@code where} names the owner
     * (an event, an item) in error details.
     */
    public static Set<Tag> tags(JsonParser parser, JsonToken value, String where) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return Set.of();
        }
        if (value != JsonToken.START_ARRAY) {
            throw ApiProblem.badRequest(where + ": tags must be an array of key:value strings");
        }
        var tags = new LinkedHashSet<Tag>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw ApiProblem.badRequest(where + ": tags must be an array of key:value strings");
            }
            if (tags.size() == Tag.MAX_PER_EVENT) {
                throw ApiProblem.badRequest(where + ": carries more than " + Tag.MAX_PER_EVENT + " tags");
            }
            try {
                tags.add(Tag.parse(parser.getText()));
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest(where + ": " + e.getMessage());
            }
        }
        return tags;
    }

    /** The query in the shape {@link #read} reads, types and tags sorted, for answers and problems. */
    public static Map<String, Object> toJson(EventQuery query) {
        var items = new ArrayList<Map<String, Object>>();
        for (QueryItem item : query.items()) {
            var json = new LinkedHashMap<String, Object>();
            if (!item.types().isEmpty()) {
                json.put("types", List.copyOf(new TreeSet<>(item.types())));
            }
            if (!item.tags().isEmpty()) {
                json.put("tags", new TreeSet<>(item.tags()).stream().map(Tag::toString).toList());
            }
            items.add(json);
        }
        return Map.of("items", items);
    }

    private static ApiProblem problem(String where, String what) {
        return ApiProblem.badRequest(where + " " + what);
    }
}
