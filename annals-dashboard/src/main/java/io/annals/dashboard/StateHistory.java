package io.annals.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.event.RecordedEvent;
import io.annals.node.StreamStates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state of a stream after each of its events, for the time-travel view. A stream whose
 * category has a registered decider ({@link StreamStates}) is folded by that decider; any other
 * is folded generically: the state starts as {@code {}} and each event whose data is a JSON object
 * is merged into it, field by field, one level deep (a field of a later event replaces the same
 * field whole). That is only a guess at the domain's state, and the answer says which fold it used.
 */
final class StateHistory {

    /** The most events folded for one answer; the answer says when a stream has more. */
    static final int MAX_EVENTS = 1000;

    private StateHistory() {
    }

    static Map<String, Object> answer(ObjectMapper mapper, String streamId, List<RecordedEvent> events, boolean truncated,
                                      Optional<StreamStates.Fold> registered) {
        var body = new LinkedHashMap<String, Object>();
        body.put("streamId", streamId);
        List<JsonNode> states = null;
        if (registered.isPresent()) {
            try {
                states = registered.get().states(events);
                body.put("fold", "decider");
                body.put("folder", registered.get().name());
            } catch (IllegalArgumentException e) {
                body.put("note", "the registered decider could not fold this stream, so its events were merged instead: "
                        + e.getMessage());
            }
        }
        if (states == null) {
            states = merged(mapper, events);
            body.put("fold", "merge");
        }
        body.put("truncated", truncated);
        var versions = new ArrayList<Map<String, Object>>(events.size());
        for (int i = 0; i < events.size(); i++) {
            RecordedEvent event = events.get(i);
            var version = new LinkedHashMap<String, Object>();
            version.put("version", event.version());
            version.put("position", event.position().toString());
            version.put("type", event.type());
            version.put("recordedAt", event.recordedAt().toString());
            version.put("data", tree(mapper, event.data()));
            version.put("state", states.get(i));
            versions.add(version);
        }
        body.put("versions", versions);
        return body;
    }

    static List<JsonNode> merged(ObjectMapper mapper, List<RecordedEvent> events) {
        ObjectNode state = mapper.createObjectNode();
        var states = new ArrayList<JsonNode>(events.size());
        for (RecordedEvent event : events) {
            if (tree(mapper, event.data()) instanceof ObjectNode data) {
                state = state.deepCopy();
                state.setAll(data);
            }
            states.add(state);
        }
        return states;
    }

    private static JsonNode tree(ObjectMapper mapper, String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            // the store checked it as JSON when it was appended
            throw new IllegalStateException("an event's data is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
