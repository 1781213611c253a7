package io.annals.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static CaseResult result(String name, Unit unit, double annals, double raw, List<Target> targets) {
        var baselines = new LinkedHashMap<String, Double>();
        baselines.put("raw-jdbc", raw);
        return new CaseResult("store", name, unit, annals, baselines, targets);
    }

    @Test
    void jsonLineHasTheDocumentedShapeWithWholeEventsPerSecond() {
        var line = JsonLines.line(result("append-1-client", Unit.EVENTS_PER_SECOND, 4100.6, 3999.2, List.of()));

        assertThat(line).isEqualTo("{\"suite\":\"store\",\"case\":\"append-1-client\",\"unit\":\"events/s\","
                + "\"annals\":4101,\"baselines\":{\"raw-jdbc\":3999}}");
    }

    @Test
    void latenciesKeepThreeDecimals() {
        var line = JsonLines.line(result("load-aggregate-1000", Unit.MILLISECONDS, 1.23456, 1.0, List.of()));

        assertThat(line).contains("\"unit\":\"ms\"", "\"annals\":1.235", "\"raw-jdbc\":1.0");
    }

    @Test
    void throughputTargetRelativeToABaselineIsMissedBelowTheFactor() {
        var missed = result("append-batch-100", Unit.EVENTS_PER_SECOND, 69, 100,
                List.of(new Target.AtLeastTimes("raw-jdbc", 0.7)));
        var met = result("append-batch-100", Unit.EVENTS_PER_SECOND, 70, 100,
                List.of(new Target.AtLeastTimes("raw-jdbc", 0.7)));

        assertThat(missed.allTargetsMet()).isFalse();
        assertThat(met.allTargetsMet()).isTrue();
    }

    @Test
    void latencyTargetRelativeToABaselineIsMissedAboveTheFactor() {
        var missed = result("load-aggregate-1000", Unit.MILLISECONDS, 1.51, 1.0,
                List.of(new Target.AtMostTimes("raw-jdbc", 1.5)));

        assertThat(missed.missedTargets()).containsExactly(new Target.AtMostTimes("raw-jdbc", 1.5));
    }

    @Test
    void targetOnABaselineThatWasNotMeasuredIsNotCountedAsMissed() {
        var result = result("append-64-clients", Unit.EVENTS_PER_SECOND, 10, 1,
                List.of(new Target.AtLeastTimes("axon-4.13", 2.5)));

        assertThat(result.allTargetsMet()).isTrue();
    }

    @Test
    void tableShowsRatiosAndNamesMissedTargets() {
        var table = ReportTable.render(List.of(
                result("append-1-client", Unit.EVENTS_PER_SECOND, 3000, 4000, List.of(new Target.AtLeastTimes("raw-jdbc", 0.8))),
                result("subscription-latency-p99", Unit.MILLISECONDS, 12.5, 1, List.of(new Target.AtMost(10)))));

        assertThat(table).contains("| append-1-client", "3,000", "4,000", "0.75x", "MISSED: >= 0.8x raw-jdbc")
                .contains("12.500", "MISSED: <= 10.000 ms");
    }
}
