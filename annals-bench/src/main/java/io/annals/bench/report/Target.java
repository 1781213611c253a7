package io.annals.bench.report;

import java.util.Map;
import java.util.Optional;

/** A goal a case's Annals figure must reach. */
public sealed interface Target {

    /** Annals must reach at least {@code factor} times the baseline (throughput). */
    record AtLeastTimes(String baseline, double factor) implements Target {
    }

    /** Annals must take at most {@code factor} times the baseline (latency). */
    record AtMostTimes(String baseline, double factor) implements Target {
    }

    /** Annals must reach at least this absolute value. */
    record AtLeast(double value) implements Target {
    }

    /** Annals must stay at or below this absolute value. */
    record AtMost(double value) implements Target {
    }

    /** Whether it is met, or empty when the baseline it refers to was not measured. */
    default Optional<Boolean> isMet(double annals, Map<String, Double> baselines) {
        return switch (this) {
            case AtLeastTimes(String baseline, double factor) ->
                    Optional.ofNullable(baselines.get(baseline)).map(value -> annals >= factor * value);
            case AtMostTimes(String baseline, double factor) ->
                    Optional.ofNullable(baselines.get(baseline)).map(value -> annals <= factor * value);
            case AtLeast(double value) -> Optional.of(annals >= value);
            case AtMost(double value) -> Optional.of(annals <= value);
        };
    }

    default String describe(Unit unit) {
        return switch (this) {
            case AtLeastTimes(String baseline, double factor) -> ">= " + factor + "x " + baseline;
            case AtMostTimes(String baseline, double factor) -> "<= " + factor + "x " + baseline;
            case AtLeast(double value) -> ">= " + ReportTable.format(value, unit) + " " + unit.label();
            case AtMost(double value) -> "<= " + ReportTable.format(value, unit) + " " + unit.label();
        };
    }
}
