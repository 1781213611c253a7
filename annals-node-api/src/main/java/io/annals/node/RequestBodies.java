package io.annals.node;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Reads request bodies with a hard size bound, so that no client can make the node buffer without limit. */
public final class RequestBodies {

    /** How much of an oversized body is read and dropped before the connection is closed instead. */
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;

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

    /** Reads the document in {@code body}, a body read within the bound. */
    public <T> T parseJson(byte[] body, JsonBodyReader<T> reader) {
        if (body.length == 0) {
            throw ApiProblem.badRequest("the request needs a JSON body");
        }
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            return reader.read(parser, body);
        } catch (StreamConstraintsException e) {
            throw ApiProblem.badRequest("the JSON body exceeds a parser limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiProblem.badRequest("the request body could not be read");
        }
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

    /** Reads the whole body of a request within the bound: a larger one is a 413. */
    public byte[] readBounded(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > maxBytes) {
                throw tooLarge(ctx, in, 0);
            }
            if (declared >= 0) {
                return readDeclared(in, (int) declared);
            }
            var out = new ByteArrayOutputStream(8 * 1024);
            byte[] buffer = new byte[16 * 1024];
            long total = 0;
            int read;
            while ((read = in.read(buffer)) != -1) {
                total += read;
                if (total > maxBytes) {
                    throw tooLarge(ctx, in, total);
                }
                out.write(buffer, 0, read);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw ApiProblem.badRequest("the request body could not be read");
        }
    }

    /**
     * A body with a Content-Length within the bound: read into an array of exactly that size,
     * with no copying buffer; the server ends the body at the declared length.
     */
    private static byte[] readDeclared(InputStream in, int length) throws IOException {
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw ApiProblem.badRequest("the request body ended after " + body.length + " of " + length + " bytes");
        }
        return body;
    }

    /**
     * Reads and discards what is left of an oversized body, up to a bound, so that a client still
     * sending gets to read the 413 instead of a reset connection; past the bound the connection
     * is closed.
     */
    private ApiProblem tooLarge(Context ctx, InputStream in, long alreadyRead) {
        long budget = DRAIN_LIMIT - alreadyRead;
        if (budget <= 0 || ctx.req().getContentLengthLong() > DRAIN_LIMIT) {
            ctx.header("Connection", "close");
            return tooLarge();
        }
        try {
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
