package io.annals.node;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes JSON answers with the node's one {@link ObjectMapper}. Every answer goes straight to the
 * response with its length, so that it is written by the time the handler returns.
 */
public final class JsonResponses {

    public static final String CONTENT_TYPE = "application/json";

    /** Writes a document with Jackson's streaming API. */
    @FunctionalInterface
    public interface DocumentWriter {
        void write(JsonGenerator out) throws IOException;
    }

    private final ObjectMapper mapper;

    public JsonResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The node's mapper: strict on input (duplicate keys refused, decimals kept as sent). */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** Answers {@code body} as JSON, serialised by the mapper. */
    public void send(Context ctx, int status, Object body) {
        try {
            sendBytes(ctx, status, mapper.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers the document that {@code document} writes, without building a tree first. */
    public void send(Context ctx, int status, int sizeHint, DocumentWriter document) {
        var bytes = new ByteArrayOutputStream(Math.max(64, sizeHint));
        try (JsonGenerator out = mapper.getFactory().createGenerator(bytes)) {
            document.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sendBytes(ctx, status, bytes.toByteArray());
    }

    /**
     * Answers JSON the caller wrote itself, for small fixed-shape answers on hot paths. It goes
     * straight to the servlet response with its length: handing Javalin a result would copy it
     * through a fresh buffer per request.
     */
    public void sendBytes(Context ctx, int status, byte[] body) {
        sendBytes(ctx, status, CONTENT_TYPE, body);
    }

    /** {@link #sendBytes(Context, int, byte[])} with another content type. */
    public static void sendBytes(Context ctx, int status, String contentType, byte[] body) {
        HttpServletResponse response = ctx.res();
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
