package io.annals.node;

import java.util.Map;

/**
 * A request the node refuses, as an RFC 9457 problem: thrown by handlers, rendered by
 * {@link ProblemResponses} on the way out of every route. The detail is written for the client;
 * it never carries internals.
 */
public final class ApiProblem extends RuntimeException {

    private final int status;
    private final String title;
    private final Map<String, Object> extensions;

    public ApiProblem(int status, String title, String detail, Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.extensions = Map.copyOf(extensions);
    }

    public ApiProblem(int status, String title, String detail) {
        this(status, title, detail, Map.of());
    }

    /** A problem whose title is the status's reason phrase. */
    public static ApiProblem of(int status, String detail) {
        return new ApiProblem(status, ProblemResponses.reasonPhrase(status), detail);
    }

    public static ApiProblem badRequest(String detail) {
        return of(400, detail);
    }

    public static ApiProblem notFound(String detail) {
        return of(404, detail);
    }

    public static ApiProblem conflict(String detail) {
        return of(409, detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
