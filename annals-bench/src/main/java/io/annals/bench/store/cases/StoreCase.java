package io.annals.bench.store.cases;

import io.annals.bench.report.Unit;
import io.annals.bench.store.BenchSettings;
import io.annals.bench.subject.BenchSubject;
import io.annals.bench.subject.SubjectFactory;
import java.util.Map;

/** One measured workload, run against each comparator in turn on a fresh subject. */
public interface StoreCase {

    String name();

    Unit unit();

    /** How many concurrent connections a subject needs for this case. */
    default int connections() {
        return 4;
    }

    /**
     * How many rounds the suite measures this case in: each round measures every comparator once,
     * in a rotated order, and the median counts. Cases bound by the disk's flushes take
     * {@link BenchSettings#rounds()}, so that a slow minute of the disk hits every comparator
     * alike rather than whichever ran in it; the others take one.
     */
    default int rounds(BenchSettings settings) {
        return 1;
    }

    /**
     * Baselines that are Annals itself doing a related job, by the name they are reported under,
     * measured in the same run and rounds as this case (the fan-out case's single subscription).
     */
    default Map<String, StoreCase> sameRunBaselines() {
        return Map.of();
    }

    /** Whether the case can run on what this subject offers. */
    boolean supports(BenchSubject subject);

    /** Measures the figure for one freshly opened subject, which the caller closes. */
    double measure(BenchSubject subject, BenchSettings settings) throws Exception;

    /** Opens a fresh subject, measures it and closes it. */
    default double measure(SubjectFactory factory, BenchSettings settings) throws Exception {
        try (BenchSubject subject = factory.open(name(), connections())) {
            if (!supports(subject)) {
                throw new IllegalArgumentException(factory.name() + " does not support " + name());
            }
            return measure(subject, settings);
        }
    }
}
