package io.annals.server.http.events;

import io.annals.node.ApiProblem;
import io.annals.node.QueryJson;
import io.annals.node.QueryParams;
import io.annals.node.RequestBodies;
import io.annals.store.EventQuery;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/** Reads the {@code query} parameter, an {@link EventQuery} in the JSON shape of {@link QueryJson}. */
final class EventQueries {

    static final String PARAMETER = "query";
    private static final String WHAT = "query parameter 'query'";

    private EventQueries() {
    }

    static EventQuery from(Context ctx, RequestBodies bodies) {
        String text = QueryParams.single(ctx, PARAMETER);
        if (text == null || text.isBlank()) {
            throw ApiProblem.badRequest(WHAT + " is required: a JSON object such as "
                    + "{\"items\":[{\"types\":[\"UserRegistered\"],\"tags\":[\"email:ada@example.com\"]}]}");
        }
        try {
            return bodies.parseJson(text.getBytes(StandardCharsets.UTF_8), (parser, body) -> QueryJson.readDocument(parser, WHAT));
        } catch (ApiProblem problem) {
            // the reader's own problems name the parameter; the JSON parser's name the body
            throw problem.detail().startsWith(WHAT) ? problem : ApiProblem.badRequest(WHAT + ": " + problem.detail());
        }
    }
}
