package io.annals.cep.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.cep.EngineState;
import io.annals.cep.EngineState.PartitionState;
import io.annals.cep.EngineState.RunState;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A checkpoint as JSON: the input position, the output stream's version, and the engine's state
 * with every held event written as its position (the events stay in the store; a restore reads
 * them back).
 */
final class Checkpoints {

    static final String TYPE = "CepCheckpoint";
    /**
     * Characters of checkpoint text per event. A store caps an event's size (1 MiB by default) and
     * JSON escaping can double the text, so a large state is split over several events written in
     * one append.
     */
    static final int PART_CHARS = 256 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** @param sequence the checkpoint's number, counting from 0; the restore takes the highest */
    record Checkpoint(long sequence, Position input, long outputVersion, EngineState<Position, String> state) {
    }

    private Checkpoints() {
    }

    static String write(long sequence, Position input, long outputVersion, EngineState<RecordedEvent, String> state) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("sequence", sequence);
        root.put("input", input.toString());
        root.put("outputVersion", outputVersion);
        root.put("watermark", state.watermark());
        root.put("maxEventTime", state.maxEventTime());
        root.put("nextSequence", state.nextSequence());
        var counters = root.putObject("counters");
        counters.put("events", state.counters().events());
        counters.put("lateEvents", state.counters().lateEvents());
        counters.put("matches", state.counters().matches());
        counters.put("dropped", state.counters().droppedPartialMatches());
        positions(root.putArray("buffered"), state.buffered());
        ArrayNode partitions = root.putArray("partitions");
        for (PartitionState<RecordedEvent, String> partition : state.partitions()) {
            ObjectNode node = partitions.addObject();
            node.put("key", partition.key());
            node.put("lastActive", partition.lastActive());
            ArrayNode runs = node.putArray("runs");
            for (RunState<RecordedEvent> run : partition.runs()) {
                ObjectNode runNode = runs.addObject();
                positions(runNode.putArray("events"), run.events());
                run.sequences().forEach(runNode.putArray("sequences")::add);
                run.stages().forEach(runNode.putArray("stages")::add);
                runNode.put("stage", run.stage()).put("count", run.count()).put("mask", run.mask()).put("gap", run.gap())
                        .put("waiting", run.waiting());
            }
        }
        return root.toString();
    }

    /** The checkpoint text as the events of one append. */
    static List<io.annals.event.EventData> toEvents(String text) {
        int parts = Math.max(1, (text.length() + PART_CHARS - 1) / PART_CHARS);
        var events = new ArrayList<io.annals.event.EventData>(parts);
        for (int part = 0; part < parts; part++) {
            ObjectNode node = MAPPER.createObjectNode();
            node.put("part", part);
            node.put("parts", parts);
            node.put("text", text.substring(part * PART_CHARS, Math.min(text.length(), (part + 1) * PART_CHARS)));
            events.add(io.annals.event.EventData.of(TYPE, node.toString()));
        }
        return events;
    }

    /** How many events the checkpoint that ends with this event spans. */
    static int parts(RecordedEvent last) {
        return tree(last.data()).get("parts").asInt();
    }

    /** The checkpoint text from its events, oldest first. */
    static String text(List<RecordedEvent> events) {
        var text = new StringBuilder();
        for (RecordedEvent event : events) {
            text.append(tree(event.data()).get("text").asText());
        }
        return text.toString();
    }

    private static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable CEP checkpoint", e);
        }
    }

    static Checkpoint read(String json) {
        try {
            JsonNode root = MAPPER.readTree(json);
            var partitions = new ArrayList<PartitionState<Position, String>>();
            for (JsonNode partition : root.get("partitions")) {
                var runs = new ArrayList<RunState<Position>>();
                for (JsonNode run : partition.get("runs")) {
                    runs.add(new RunState<>(positions(run.get("events")), longs(run.get("sequences")),
                            longs(run.get("stages")).stream().map(Long::intValue).toList(), run.get("stage").asInt(),
                            run.get("count").asInt(), run.get("mask").asInt(), run.get("gap").asInt(), run.get("waiting").asBoolean()));
                }
                partitions.add(new PartitionState<>(partition.get("key").asText(), partition.get("lastActive").asLong(), runs));
            }
            JsonNode counters = root.get("counters");
            var state = new EngineState<>(root.get("watermark").asLong(), root.get("maxEventTime").asLong(),
                    root.get("nextSequence").asLong(),
                    new EngineState.Counters(counters.get("events").asLong(), counters.get("lateEvents").asLong(),
                            counters.get("matches").asLong(), counters.get("dropped").asLong()),
                    positions(root.get("buffered")), partitions);
            return new Checkpoint(root.path("sequence").asLong(0), Position.parse(root.get("input").asText()), root.get("outputVersion").asLong(), state);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable CEP checkpoint", e);
        }
    }

    /** Every position the state refers to. */
    static List<Position> heldPositions(EngineState<Position, String> state) {
        var held = new ArrayList<>(state.buffered());
        state.partitions().forEach(partition -> partition.runs().forEach(run -> held.addAll(run.events())));
        return held;
    }

    /** The state with each position replaced by its event. */
    static EngineState<RecordedEvent, String> resolve(EngineState<Position, String> state, Map<Position, RecordedEvent> events) {
        Function<Position, RecordedEvent> lookup = position -> {
            RecordedEvent event = events.get(position);
            if (event == null) {
                throw new IllegalStateException("the checkpoint holds event " + position + ", which the store no longer has");
            }
            return event;
        };
        var partitions = state.partitions().stream().map(partition -> new PartitionState<>(partition.key(), partition.lastActive(),
                partition.runs().stream().map(run -> new RunState<>(run.events().stream().map(lookup).toList(), run.sequences(),
                        run.stages(), run.stage(), run.count(), run.mask(), run.gap(), run.waiting())).toList())).toList();
        return new EngineState<>(state.watermark(), state.maxEventTime(), state.nextSequence(), state.counters(),
                state.buffered().stream().map(lookup).toList(), partitions);
    }

    private static void positions(ArrayNode array, List<RecordedEvent> events) {
        events.forEach(event -> array.add(event.position().toString()));
    }

    private static List<Position> positions(JsonNode array) {
        var positions = new ArrayList<Position>();
        array.forEach(node -> positions.add(Position.parse(node.asText())));
        return positions;
    }

    private static List<Long> longs(JsonNode array) {
        var values = new ArrayList<Long>();
        array.forEach(node -> values.add(node.asLong()));
        return values;
    }
}
