package io.annals.node;

import io.annals.event.Position;
import io.annals.event.StreamId;
import io.javalin.http.Context;
import java.util.List;

/** Parses and bounds query parameters and path values, turning every bad value into a 400. */
public final class QueryParams {

    public static final int MAX_PAGE = 1000;
    public static final int DEFAULT_PAGE = 100;

    private QueryParams() {
    }

    /** The single value of a parameter, or {@code null}; a repeated parameter is ambiguous and refused. */
    public static String single(Context ctx, String name) {
        List<String> values = ctx.queryParams(name);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiProblem.badRequest("query parameter '" + name + "' is given more than once");
        }
        return values.getFirst();
    }

    public static int limit(Context ctx) {
        String text = single(ctx, "limit");
        if (text == null) {
            return DEFAULT_PAGE;
        }
        long value = parseLong("limit", text);
        if (value < 1 || value > MAX_PAGE) {
            throw ApiProblem.badRequest("limit must be between 1 and " + MAX_PAGE + ", got " + text);
        }
        return (int) value;
    }

    public static long nonNegativeLong(Context ctx, String name, long fallback) {
        String text = single(ctx, name);
        if (text == null) {
            return fallback;
        }
        long value = parseLong(name, text);
        if (value < 0) {
            throw ApiProblem.badRequest(name + " must not be negative, got " + text);
        }
        return value;
    }

    public static boolean flag(Context ctx, String name) {
        String text = single(ctx, name);
        if (text == null) {
            return false;
        }
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiProblem.badRequest(name + " must be true or false, got " + abbreviate(text));
        };
    }

    public static Position position(String name, String text) {
        if (text == null || text.isEmpty()) {
            return Position.START;
        }
        try {
            return Position.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(name + ": " + e.getMessage());
        }
    }

    public static StreamId streamId(Context ctx) {
        return streamId(ctx.pathParam("streamId"));
    }

    /** The stream id of a path, decoded. */
    public static StreamId streamId(String text) {
        try {
            return StreamId.of(text);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("invalid stream id: " + e.getMessage());
        }
    }

    private static long parseLong(String name, String text) {
        try {
            // ASCII digits and an optional minus only: Long.parseLong would take "+1" and other scripts' digits too
            if (!text.matches("-?[0-9]{1,19}")) {
                throw new NumberFormatException(text);
            }
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(name + " must be an integer, got '" + abbreviate(text) + "'");
        }
    }

    public static String abbreviate(String text) {
        String printable = text.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .limit(60)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return text.length() > 60 ? printable + "..." : printable;
    }
}
