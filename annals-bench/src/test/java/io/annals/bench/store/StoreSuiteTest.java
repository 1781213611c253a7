package io.annals.bench.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.bench.report.CaseResult;
import io.annals.bench.report.ReportTable;
import io.annals.bench.subject.SubjectFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StoreSuiteTest {

    private static final BenchSettings TINY = new BenchSettings(Duration.ZERO, Duration.ofMillis(100), 50, 2, 1);

    private static final SubjectFactory BROKEN_BASELINE = new SubjectFactory() {
        @Override
        public String name() {
            return "raw-jdbc";
        }

        @Override
        public io.annals.bench.subject.BenchSubject open(String caseName, int connections) {
            throw new IllegalStateException("database went away");
        }
    };

    @Test
    void aFailingComparatorIsReportedAndTheRunGoesOn() throws Exception {
        var progress = new StringWriter();
        var suite = new StoreSuite(StoreKind.SQLITE, AnnalsStores.inMemory().asFactory(), List.of(BROKEN_BASELINE),
                new PrintWriter(progress, true));
        var handed = new ArrayList<CaseResult>();

        List<CaseResult> results = suite.run(TINY, Set.of("append-1-client", "append-batch-100"), handed::add);

        assertThat(results).extracting(CaseResult::caseName).containsExactly("append-1-client", "append-batch-100");
        assertThat(handed).isEqualTo(results);
        for (CaseResult result : results) {
            assertThat(result.failed()).isTrue();
            assertThat(result.failures()).containsOnlyKeys("raw-jdbc");
            assertThat(result.failures().get("raw-jdbc")).contains("database went away");
            assertThat(result.annals()).isPositive();
        }
        assertThat(ReportTable.render(results)).contains("FAILED: raw-jdbc: IllegalStateException: database went away");
        assertThat(progress.toString()).contains("[append-1-client] raw-jdbc FAILED");
    }

    @Test
    void onlySelectedCasesRun() throws Exception {
        var suite = new StoreSuite(StoreKind.SQLITE, AnnalsStores.inMemory().asFactory(), List.of(),
                new PrintWriter(new StringWriter(), true));

        List<CaseResult> results = suite.run(TINY, Set.of("load-aggregate-1000"), result -> { });

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.caseName()).isEqualTo("load-aggregate-1000");
            assertThat(result.failed()).isFalse();
            assertThat(result.annals()).isPositive();
        });
    }

    @Test
    void appendCasesMeasureEveryComparatorOncePerRoundInTurnsAndReportTheMedian() throws Exception {
        var progress = new StringWriter();
        var opened = new ArrayList<String>();
        SubjectFactory annals = recording(AnnalsStores.inMemory().asFactory(), "annals", opened);
        SubjectFactory baseline = recording(AnnalsStores.inMemory().asFactory(), "raw-jdbc", opened);
        var suite = new StoreSuite(StoreKind.SQLITE, annals, List.of(baseline), new PrintWriter(progress, true));
        var threeRounds = new BenchSettings(Duration.ZERO, Duration.ofMillis(100), 50, 2, 3);

        List<CaseResult> results = suite.run(threeRounds, Set.of("append-1-client", "load-aggregate-1000"), r -> { });

        assertThat(opened).containsExactly(
                "raw-jdbc", "annals", "annals", "raw-jdbc", "raw-jdbc", "annals", // append-1-client, rotated
                "raw-jdbc", "annals");                                          // load-aggregate-1000, one round
        assertThat(results.getFirst().baselines()).containsOnlyKeys("raw-jdbc");
        assertThat(progress.toString()).contains("[append-1-client] annals (round 3/3)")
                .doesNotContain("[load-aggregate-1000] annals (round");
    }

    @Test
    void theFanOutCaseMeasuresTheSingleSubscriptionInTheSameRoundsAsItsBaseline() throws Exception {
        var progress = new StringWriter();
        var opened = new ArrayList<String>();
        SubjectFactory annals = recording(AnnalsStores.inMemory().asFactory(), "annals", opened);
        var suite = new StoreSuite(StoreKind.SQLITE, annals, List.of(), new PrintWriter(progress, true));
        var twoRounds = new BenchSettings(Duration.ZERO, Duration.ofMillis(100), 50, 2, 2);

        List<CaseResult> results = suite.run(twoRounds, Set.of("fan-out-50-subscriptions"), result -> { });

        assertThat(opened).hasSize(4);
        assertThat(progress.toString()).contains("[fan-out-50-subscriptions] single-subscription (round 1/2)",
                "[fan-out-50-subscriptions] annals (round 2/2)");
        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.failed()).as(result.failures().toString()).isFalse();
            assertThat(result.annals()).isPositive();
            assertThat(result.baselines()).containsOnlyKeys("single-subscription");
            assertThat(result.baselines().get("single-subscription")).isPositive();
            assertThat(result.targets()).isNotEmpty();
        });
    }

    @Test
    void theMedianIsTheMiddleFigure() {
        assertThat(StoreSuite.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
        assertThat(StoreSuite.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        assertThat(StoreSuite.median(List.of(7.0))).isEqualTo(7.0);
    }

    /** {@code factory} under {@code name}, noting each subject it opens. */
    private static SubjectFactory recording(SubjectFactory factory, String name, List<String> opened) {
        return new SubjectFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public io.annals.bench.subject.BenchSubject open(String caseName, int connections) throws Exception {
                opened.add(name);
                return factory.open(caseName, connections);
            }
        };
    }
}
