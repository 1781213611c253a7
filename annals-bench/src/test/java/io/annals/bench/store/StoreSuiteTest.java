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

    private static final BenchSettings TINY = new BenchSettings(Duration.ZERO, Duration.ofMillis(100), 50, 2);

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
}
