package io.annals.server.http;

import io.annals.event.RecordedEvent;
import io.annals.node.JsonResponses;
import io.annals.store.jsonlines.RecordedEventJson;
import io.javalin.http.Context;
import java.util.List;

/** A page of recorded events as the store API answers it. */
public final class EventPages {

    private EventPages() {
    }

    /** {@code {"events":[...]}} plus, when {@code next} is given, {@code "next":"<position>"}. */
    public static void send(JsonResponses json, Context ctx, List<RecordedEvent> events, String next) {
        json.send(ctx, 200, 256 + events.size() * 256, out -> {
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
        });
    }
}
