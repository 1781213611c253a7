package io.annals.node;

import java.util.Map;

/**
 * A request the node refuses, as an RFC 9457 problem: thrown by handlers, rendered by
 * {@link ProblemResponses} on the way out of every route. The detail is written for the client;
 * it never carries internals.
 */
public final class ApiProblem extends RuntimeException {

    /** The prefix of every problem type the node answers; {@code docs/server.md} lists them. */
    public static final String TYPE_PREFIX = "urn:annals:problem:";

    private final String type;
    private final int status;
    private final String title;
    private final Map<String, Object> extensions;

    /**
     * A problem of kind {@code kind} (the last part of its {@code type} URI, such as
     * {@code wrong-expected-version}).
     */
    public ApiProblem(String kind, int status, String title, String detail, Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.type = TYPE_PREFIX + kind;
        this.status = status;
        this.title = title;
        this.extensions = Map.copyOf(extensions);
    }

    /** A problem whose kind is the generic one of its status ({@code invalid-input} for 400, ...). */
    public ApiProblem(int status, String title, String detail, Map<String, Object> extensions) {
        this(kindOf(status), status, title, detail, extensions);
    }

    public ApiProblem(int status, String title, String detail) {
        this(status, title, detail, Map.of());
    }

    /** The kind of problem a status stands for when nothing more specific is known. */
    public static String kindOf(int status) {
        return switch (status) {
            case 400 -> "invalid-input";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 410 -> "gone";
            case 413 -> "content-too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            case 421 -> "misdirected-request";
            case 429 -> "too-many-requests";
            case 431 -> "headers-too-large";
            case 500 -> "internal-error";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal-error" : "invalid-input";
        };
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

    /** The problem's {@code type} URI: {@value #TYPE_PREFIX} and its kind. */
    public String type() {
        return type;
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
