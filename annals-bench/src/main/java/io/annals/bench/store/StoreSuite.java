package io.annals.bench.store;

import io.annals.bench.BenchFailures;
import io.annals.bench.report.CaseResult;
import io.annals.bench.report.ReportTable;
import io.annals.bench.store.cases.AppendBatchCase;
import io.annals.bench.store.cases.AppendSingleEventsCase;
import io.annals.bench.store.cases.ImportCase;
import io.annals.bench.store.cases.LoadAggregateCase;
import io.annals.bench.store.cases.ReadAllCase;
import io.annals.bench.store.cases.StoreCase;
import io.annals.bench.store.cases.SubscriptionLatencyCase;
import io.annals.bench.subject.SubjectFactory;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs every store case against Annals and its baselines, one comparator at a time on a fresh
 * schema or file of the same database, baselines first.
 */
public final class StoreSuite {

    public static final String SUITE = "store";

    /** The cases in the order they run. */
    public static List<StoreCase> cases() {
        return List.of(
                AppendSingleEventsCase.oneClient(),
                AppendSingleEventsCase.concurrentClients(64),
                new AppendBatchCase(100),
                new ImportCase(),
                new ReadAllCase(),
                new LoadAggregateCase(1000),
                new SubscriptionLatencyCase(1000));
    }

    private final StoreKind kind;
    private final SubjectFactory annals;
    private final List<SubjectFactory> baselines;
    private final PrintWriter progress;

    /**
     * @param baselines every baseline available on this database; each case picks those it compares with
     */
    public StoreSuite(StoreKind kind, SubjectFactory annals, List<SubjectFactory> baselines, PrintWriter progress) {
        this.kind = kind;
        this.annals = annals;
        this.baselines = List.copyOf(baselines);
        this.progress = progress;
    }

    /** Runs the selected cases (all when empty), handing each result over as soon as it is known. */
    public List<CaseResult> run(BenchSettings settings, Set<String> selected, Consumer<CaseResult> onResult)
            throws Exception {
        var results = new ArrayList<CaseResult>();
        for (StoreCase storeCase : cases()) {
            if (!selected.isEmpty() && !selected.contains(storeCase.name())) {
                continue;
            }
            var measured = new LinkedHashMap<String, Double>();
            var failures = new LinkedHashMap<String, String>();
            for (SubjectFactory baseline : baselinesFor(storeCase)) {
                measureInto(storeCase, baseline, settings, measured, failures);
            }
            measureInto(storeCase, annals, settings, measured, failures);
            double annalsValue = measured.getOrDefault(annals.name(), Double.NaN);
            measured.remove(annals.name());
            var result = new CaseResult(SUITE, storeCase.name(), storeCase.unit(), annalsValue, measured,
                    StoreTargets.forCase(kind, storeCase.name()), failures);
            results.add(result);
            onResult.accept(result);
        }
        return results;
    }

    /** The baselines a case compares with: Axon only where it has the same operation. */
    private List<SubjectFactory> baselinesFor(StoreCase storeCase) {
        if (storeCase instanceof SubscriptionLatencyCase) {
            return List.of();
        }
        return baselines.stream()
                .filter(baseline -> !baseline.name().startsWith("axon")
                        || storeCase instanceof AppendSingleEventsCase
                        || storeCase instanceof ReadAllCase
                        || storeCase instanceof LoadAggregateCase)
                .toList();
    }

    /** Measures one comparator; a failure is recorded and the run goes on with the next. */
    private void measureInto(StoreCase storeCase, SubjectFactory factory, BenchSettings settings,
                             Map<String, Double> measured, Map<String, String> failures) {
        try {
            measured.put(factory.name(), measure(storeCase, factory, settings));
        } catch (Exception e) {
            String message = BenchFailures.describe(e);
            progress.printf("[%s] %s FAILED: %s%n", storeCase.name(), factory.name(), message);
            failures.put(factory.name(), message);
        }
    }

    private double measure(StoreCase storeCase, SubjectFactory factory, BenchSettings settings) throws Exception {
        progress.printf("[%s] %s ...%n", storeCase.name(), factory.name());
        long start = System.nanoTime();
        double value = storeCase.measure(factory, settings);
        progress.printf("[%s] %s: %s %s (%.1f s)%n", storeCase.name(), factory.name(),
                ReportTable.format(value, storeCase.unit()), storeCase.unit().label(),
                (System.nanoTime() - start) / 1e9);
        return value;
    }
}
