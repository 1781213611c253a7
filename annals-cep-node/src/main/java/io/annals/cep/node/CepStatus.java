package io.annals.cep.node;

import io.annals.cep.CepMetrics;
import io.annals.cep.store.CepProcessor;
import io.annals.cep.store.MatchEvents;
import io.annals.cep.text.PatternDefinition;
import io.annals.node.ApiProblem;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/** What the operations routes, the health check and the meters show of the running patterns. */
final class CepStatus {

    private final List<CepPattern> patterns;
    private final List<CepProcessor> running;

    CepStatus(List<CepPattern> patterns, List<CepProcessor> running) {
        this.patterns = List.copyOf(patterns);
        this.running = running;
    }

    List<Map<String, Object>> all() {
        return patterns.stream().map(this::describe).toList();
    }

    Map<String, Object> one(String name) {
        return patterns.stream().filter(pattern -> pattern.name().equals(name)).findFirst()
                .map(this::describe)
                .orElseThrow(() -> ApiProblem.notFound("no pattern named '" + io.annals.node.QueryParams.abbreviate(name) + "'"));
    }

    List<String> failed() {
        return running.stream().filter(processor -> processor.failure().isPresent()).map(CepProcessor::name).toList();
    }

    double metric(String pattern, ToLongFunction<CepMetrics> value) {
        return running.stream().filter(processor -> processor.name().equals(pattern)).findFirst()
                .map(processor -> (double) value.applyAsLong(processor.metrics())).orElse(0.0);
    }

    private Map<String, Object> describe(CepPattern pattern) {
        String name = pattern.name();
        PatternDefinition definition = pattern.definition();
        var body = new LinkedHashMap<String, Object>();
        body.put("name", name);
        body.put("pattern", definition.pattern().name());
        body.put("eventType", MatchEvents.type(definition.pattern().name()));
        body.put("outputStream", "cep-" + name);
        body.put("partitionBy", definition.partitionBy().tagName());
        body.put("within", definition.pattern().window().map(Object::toString).orElse(null));
        body.put("lateness", pattern.lateness().toString());
        CepProcessor processor = running.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
        if (processor == null) {
            body.put("status", "STOPPED");
            return body;
        }
        CepMetrics metrics = processor.metrics();
        body.put("status", processor.failure().isPresent() ? "FAILED" : processor.isLive() ? "LIVE" : "CATCHING_UP");
        processor.failure().ifPresent(failure -> body.put("error", failure.getClass().getSimpleName()));
        body.put("position", processor.position().toString());
        body.put("watermark", metrics.watermark() == Long.MIN_VALUE ? null : Instant.ofEpochMilli(metrics.watermark()).toString());
        body.put("events", metrics.events());
        body.put("matches", metrics.matches());
        body.put("lateEvents", metrics.lateEvents());
        var state = new LinkedHashMap<String, Object>();
        state.put("partialMatches", metrics.partialMatches());
        state.put("keys", metrics.keys());
        state.put("bufferedEvents", metrics.bufferedEvents());
        state.put("droppedPartialMatches", metrics.droppedPartialMatches());
        body.put("state", state);
        return body;
    }
}
