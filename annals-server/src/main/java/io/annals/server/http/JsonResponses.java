package io.annals.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.event.RecordedEvent;
import io.annals.store.jsonlines.RecordedEventJson;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Writes JSON answers. */
public final class JsonResponses {

    public static final String CONTENT_TYPE = "application/json";

    private final ObjectMapper mapper;

    public JsonResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void send(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType(CONTENT_TYPE).result(mapper.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends JSON the caller wrote itself, for small fixed-shape answers on hot paths. It goes
     * straight to the servlet response with its length: handing Javalin a result would copy it
     * through a fresh 8 KiB buffer per request.
     */
    public void sendBytes(Context ctx, int status, byte[] body) {
        HttpServletResponse response = ctx.res();
        ctx.status(status);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code {"events":[...]}} plus, when {@code next} is given, {@code "next":"<position>"}. */
    public void sendEvents(Context ctx, List<RecordedEvent> events, String next) {
        var bytes = new ByteArrayOutputStream(256 + events.size() * 256);
        try (JsonGenerator out = mapper.getFactory().createGenerator(bytes)) {
            out.writeStartObject();
            out.writeArrayFieldStart("events");
            for (RecordedEvent event : events) {
                RecordedEventJson.write(out, event);
            }
            out.writeEndArray();
            if (next != null) {
                out.writeStringField("next", next);
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.status(200).contentType(CONTENT_TYPE).result(bytes.toByteArray());
    }
}
