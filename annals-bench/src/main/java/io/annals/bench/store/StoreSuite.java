package io.annals.bench.store;

import io.annals.bench.BenchFailures;
import io.annals.bench.report.CaseResult;
import io.annals.bench.report.ReportTable;
import io.annals.bench.store.cases.AppendBatchCase;
import io.annals.bench.store.cases.AppendSingleEventsCase;
import io.annals.bench.store.cases.ExportCase;
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
 * schema or file of the same database, baselines first. A case of several rounds measures the
 * comparators in turns, each round starting one comparator later, and reports each one's median.
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
                new ExportCase(),
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
            if (selected.isEmpty() || selected.contains(storeCase.name())) {
                CaseResult result = measureCase(storeCase, settings);
                results.add(result);
                onResult.accept(result);
            }
        }
        return results;
    }

    private CaseResult measureCase(StoreCase storeCase, BenchSettings settings) {
        var comparators = new ArrayList<>(baselinesFor(storeCase));
        comparators.add(annals);
        int rounds = storeCase.rounds(settings);
        var values = new LinkedHashMap<String, List<Double>>();
        var failures = new LinkedHashMap<String, String>();
        for (int round = 0; round < rounds; round++) {
            for (int turn = 0; turn < comparators.size(); turn++) {
                SubjectFactory comparator = comparators.get((turn + round) % comparators.size());
                if (!failures.containsKey(comparator.name())) {
                    measureInto(storeCase, comparator, settings, round, rounds, values, failures);
                }
            }
        }
        var medians = new LinkedHashMap<String, Double>();
        for (SubjectFactory comparator : comparators) {
            List<Double> figures = values.get(comparator.name());
            if (figures != null && !failures.containsKey(comparator.name())) {
                medians.put(comparator.name(), median(figures));
            }
        }
        double annalsValue = medians.getOrDefault(annals.name(), Double.NaN);
        medians.remove(annals.name());
        return new CaseResult(SUITE, storeCase.name(), storeCase.unit(), annalsValue, medians,
                StoreTargets.forCase(kind, storeCase.name()), failures);
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

    /** Measures one comparator once; a failure is recorded and the run goes on with the next. */
    private void measureInto(StoreCase storeCase, SubjectFactory factory, BenchSettings settings, int round,
                             int rounds, Map<String, List<Double>> values, Map<String, String> failures) {
        String label = rounds == 1 ? factory.name() : factory.name() + " (round " + (round + 1) + "/" + rounds + ")";
        try {
            progress.printf("[%s] %s ...%n", storeCase.name(), label);
            long start = System.nanoTime();
            double value = storeCase.measure(factory, settings);
            progress.printf("[%s] %s: %s %s (%.1f s)%n", storeCase.name(), label,
                    ReportTable.format(value, storeCase.unit()), storeCase.unit().label(),
                    (System.nanoTime() - start) / 1e9);
            values.computeIfAbsent(factory.name(), name -> new ArrayList<>()).add(value);
        } catch (Exception e) {
            String message = BenchFailures.describe(e);
            progress.printf("[%s] %s FAILED: %s%n", storeCase.name(), label, message);
            failures.put(factory.name(), message);
        }
    }

    /** The middle figure; of an even count, the mean of the two middle ones. */
    public static double median(List<Double> figures) {
        var sorted = figures.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
