package io.annals.cep.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.event.RecordedEvent;

/** Reads top-level fields of an event's JSON data for text patterns. */
final class EventFields {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventFields() {
    }

    /** The field as text (numbers and booleans in JSON form), or {@code ""} when absent or not JSON. */
    static String text(RecordedEvent event, String field) {
        try {
            JsonNode node = MAPPER.readTree(event.data()).get(field);
            return node == null || node.isNull() || node.isContainerNode() ? "" : node.asText();
        } catch (JsonProcessingException e) {
            return "";
        }
    }
}
