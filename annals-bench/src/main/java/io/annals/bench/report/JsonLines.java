package io.annals.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One JSON object per case: {@code {"suite":..,"case":..,"unit":..,"annals":..,"baselines":{..}}}.
 * Events per second are whole numbers, milliseconds have three decimals.
 */
public final class JsonLines {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLines() {
    }

    public static String line(CaseResult result) {
        return line(result, java.util.Map.of());
    }

    /** The line with further figures of the case, by name (for example conflicts per second), rounded to whole numbers. */
    public static String line(CaseResult result, java.util.Map<String, Double> figures) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("suite", result.suite());
        node.put("case", result.caseName());
        node.put("unit", result.unit().label());
        putNumber(node, "annals", result.unit(), result.annals());
        ObjectNode baselines = node.putObject("baselines");
        result.baselines().forEach((name, value) -> putNumber(baselines, name, result.unit(), value));
        figures.forEach((name, value) -> node.put(name, Math.round(value)));
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a result as JSON", e);
        }
    }

    private static void putNumber(ObjectNode node, String field, Unit unit, double value) {
        if (unit.whole()) {
            node.put(field, Math.round(value));
        } else {
            node.put(field, unit.rounded(value));
        }
    }
}
