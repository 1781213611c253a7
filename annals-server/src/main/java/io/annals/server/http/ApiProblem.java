package io.annals.server.http;

import java.util.Map;

/**
 * A request the node refuses, as an RFC 9457 problem: thrown by handlers, rendered by
 * {@link ProblemResponses}. The detail is written for the client; it never carries internals.
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

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "Bad Request", detail);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not Found", detail);
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
