package io.annals.node;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Blocker;

/** Reads request bodies with a hard size bound, so that no client can make the node buffer without limit. */
public final class RequestBodies {

    /** How much of an oversized body is read and dropped before the connection is closed instead. */
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;
    private static final String APPLICATION = "application/";
    private static final String JSON = "application/json";
    private static final String JSON_SUFFIX = "+json";

    private final ObjectMapper mapper;
    private final long maxBytes;

    public RequestBodies(ObjectMapper mapper, long maxBytes) {
        this.mapper = mapper;
        this.maxBytes = maxBytes;
    }

    /** Reads one JSON document from the body, streaming, without building a tree first. */
    @FunctionalInterface
    public interface JsonBodyReader<T> {
        /**
         * Reads the document from {@code parser}, which is positioned before its first token
         * and reads {@code body}; throws {@link ApiProblem} for content it refuses.
         */
        T read(JsonParser parser, byte[] body) throws IOException;
    }

    /**
     * Reads the document in {@code body}, a body read within the bound. JSON between systems is
     * UTF-8 (RFC 8259); a body in UTF-16 or UTF-32 is refused before the parser, which would
     * otherwise detect it and read on in another encoding than the one the node slices bytes in.
     */
    public <T> T parseJson(byte[] body, JsonBodyReader<T> reader) {
        if (body.length == 0) {
            throw ApiProblem.badRequest("the request needs a JSON body");
        }
        if (!looksLikeUtf8(body)) {
            throw ApiProblem.badRequest("the JSON body must be encoded in UTF-8 (it looks like UTF-16 or UTF-32)");
        }
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            return reader.read(parser, body);
        } catch (StreamConstraintsException e) {
            throw ApiProblem.badRequest("the JSON body exceeds a parser limit " + where(e));
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("malformed JSON " + where(e));
        } catch (IOException e) {
            throw ApiProblem.badRequest("the request body could not be read");
        }
    }

    /** Where the parser stopped, in the client's terms; the parser's own message names its internals. */
    private static String where(JsonProcessingException e) {
        var location = e.getLocation();
        if (location == null || location.getLineNr() < 1) {
            return "in the body";
        }
        return "at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /**
     * UTF-16 and UTF-32 put a zero byte among the first bytes of any JSON text (its first
     * character is ASCII) or start with a byte order mark that UTF-8 has no use of.
     */
    static boolean looksLikeUtf8(byte[] body) {
        int first = body[0] & 0xFF;
        if (first == 0 || first == 0xFE || first == 0xFF) {
            return false;
        }
        return body.length < 2 || body[1] != 0;
    }

    /**
     * Refuses a body not declared as JSON ({@code application/json} or an {@code application/*+json}
     * type, any parameters) with a 415. A body without a {@code Content-Type} is refused too: a
     * browser sends such a body cross-origin without asking first (a "simple" request), a JSON
     * one only after a CORS preflight the node answers.
     */
    public static void requireJson(String contentType) {
        if (contentType == null || !isJson(contentType)) {
            throw new ApiProblem(415, "Unsupported Media Type", contentType == null
                    ? "the body needs 'Content-Type: application/json'"
                    : "the body must be application/json, got Content-Type '" + QueryParams.abbreviate(contentType) + "'");
        }
    }

    static boolean isJson(String contentType) {
        int end = contentType.indexOf(';');
        if (end < 0) {
            end = contentType.length();
        }
        int start = 0;
        while (start < end && contentType.charAt(start) == ' ') {
            start++;
        }
        while (end > start && contentType.charAt(end - 1) == ' ') {
            end--;
        }
        int length = end - start;
        if (length == JSON.length()) {
            return contentType.regionMatches(true, start, JSON, 0, length);
        }
        return length > APPLICATION.length() + JSON_SUFFIX.length()
                && contentType.regionMatches(true, start, APPLICATION, 0, APPLICATION.length())
                && contentType.regionMatches(true, end - JSON_SUFFIX.length(), JSON_SUFFIX, 0, JSON_SUFFIX.length());
    }

    /**
     * Reads the body as one JSON document of {@code type}, bound to it by the node's strict
     * mapper; anything it cannot bind is a 400.
     */
    public <T> T readJson(Context ctx, Class<T> type) {
        return parseJson(readBounded(ctx), (parser, body) -> {
            try {
                return mapper.readValue(parser, type);
            } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
                throw ApiProblem.badRequest("the body does not fit: " + e.getOriginalMessage());
            }
        });
    }

    /**
     * Reads the whole body of a request within the bound: a larger one is a 413. A body with a
     * Content-Length goes straight into an array of that size; a chunked one grows. It reads
     * Jetty's content chunks under the servlet API, which would copy each through its own
     * buffer; nothing else reads the body of a request that comes here. Every body the node
     * reads is JSON: one declared otherwise, or not declared, is a 415 (see {@link #requireJson}).
     */
    public byte[] readBounded(Context ctx) {
        requireJson(ctx.header("Content-Type"));
        Request request = ServletContextRequest.getServletContextRequest(ctx.req());
        long declared = request.getLength();
        if (declared > maxBytes) {
            throw tooLarge(ctx, request, 0);
        }
        byte[] body = new byte[declared >= 0 ? (int) declared : 8 * 1024];
        int filled = 0;
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                awaitContent(request);
                continue;
            }
            if (Content.Chunk.isFailure(chunk)) {
                throw ApiProblem.badRequest("the request body could not be read");
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            int length = bytes.remaining();
            if (filled + (long) length > maxBytes) {
                chunk.release();
                throw tooLarge(ctx, request, filled + (long) length);
            }
            if (filled + length > body.length) {
                body = Arrays.copyOf(body, (int) Math.min(maxBytes, Math.max(2L * body.length, filled + (long) length)));
            }
            bytes.get(body, filled, length);
            filled += length;
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                break;
            }
        }
        if (declared >= 0 && filled < declared) {
            throw ApiProblem.badRequest("the request body ended after " + filled + " of " + declared + " bytes");
        }
        return filled == body.length ? body : Arrays.copyOf(body, filled);
    }

    /** Parks the calling (virtual) thread until more of the body has arrived, or it failed. */
    private static void awaitContent(Request request) {
        try (Blocker.Runnable more = Blocker.runnable()) {
            request.demand(more);
            more.block();
        } catch (IOException e) {
            throw ApiProblem.badRequest("the request body could not be read");
        }
    }

    /**
     * Reads and discards what is left of an oversized body, up to a bound, so that a client still
     * sending gets to read the 413 instead of a reset connection; past the bound the connection
     * is closed.
     */
    private ApiProblem tooLarge(Context ctx, Request request, long alreadyRead) {
        long budget = DRAIN_LIMIT - alreadyRead;
        if (budget <= 0 || request.getLength() > DRAIN_LIMIT) {
            ctx.header("Connection", "close");
            return tooLarge();
        }
        try (InputStream in = Request.asInputStream(request)) {
            in.transferTo(new BoundedSink(budget));
        } catch (IOException | IllegalStateException e) {
            ctx.header("Connection", "close");
        }
        return tooLarge();
    }

    private ApiProblem tooLarge() {
        return new ApiProblem(413, "Content Too Large", "the request body exceeds " + maxBytes + " bytes",
                Map.of("maxBytes", maxBytes));
    }

    /** Counts what it is given and fails once past its budget, which stops the transfer. */
    private static final class BoundedSink extends java.io.OutputStream {
        private final long budget;
        private long written;

        BoundedSink(long budget) {
            this.budget = budget;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            written += length;
            if (written > budget) {
                throw new IllegalStateException("drain budget exceeded");
            }
        }
    }
}
