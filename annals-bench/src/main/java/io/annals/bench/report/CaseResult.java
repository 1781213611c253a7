package io.annals.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * One case's figures from one run: Annals and each baseline measured on the same database.
 *
 * @param annals    NaN when Annals could not be measured
 * @param baselines by comparator name, in the order they were measured
 * @param failures  what went wrong, per comparator name; empty for a clean case
 */
public record CaseResult(String suite, String caseName, Unit unit, double annals,
                         SequencedMap<String, Double> baselines, List<Target> targets, Map<String, String> failures) {

    public CaseResult {
        baselines = new LinkedHashMap<>(baselines);
        targets = List.copyOf(targets);
        failures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    public CaseResult(String suite, String caseName, Unit unit, double annals,
                      SequencedMap<String, Double> baselines, List<Target> targets) {
        this(suite, caseName, unit, annals, baselines, targets, Map.of());
    }

    public boolean failed() {
        return !failures.isEmpty();
    }

    /** Annals divided by the baseline: above 1 is faster for throughput, slower for latency. */
    public double ratio(String baseline) {
        return annals / baselines.get(baseline);
    }

    public List<Target> missedTargets() {
        return targets.stream().filter(target -> !target.isMet(annals, baselines).orElse(true)).toList();
    }

    public boolean allTargetsMet() {
        return missedTargets().isEmpty();
    }

    public Map<String, Double> roundedBaselines() {
        var rounded = new LinkedHashMap<String, Double>();
        baselines.forEach((name, value) -> rounded.put(name, unit.rounded(value)));
        return rounded;
    }
}
