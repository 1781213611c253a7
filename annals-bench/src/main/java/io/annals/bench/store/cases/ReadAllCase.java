package io.annals.bench.store.cases;

import io.annals.bench.report.Unit;
import io.annals.bench.store.BenchSettings;
import io.annals.bench.subject.BenchSubject;
import io.annals.bench.workload.ImportData;

/**
 * A catch-up reader goes through all {@code --events} events in global order from the start, as
 * a new projection does. A full pass warms up first (the JIT needs it); the figure is the second.
 */
public record ReadAllCase() implements StoreCase {

    @Override
    public String name() {
        return "read-all";
    }

    @Override
    public Unit unit() {
        return Unit.EVENTS_PER_SECOND;
    }

    @Override
    public boolean supports(BenchSubject subject) {
        return subject instanceof BenchSubject.AllEventsScanner
                && (subject instanceof BenchSubject.BulkImporter || subject instanceof BenchSubject.BatchAppender);
    }

    @Override
    public double measure(BenchSubject subject, BenchSettings settings) throws Exception {
        var scanner = (BenchSubject.AllEventsScanner) subject;
        Fill.write(subject, ImportData.streams("history", settings.events(), 100));
        scanner.scanAll(Long.MAX_VALUE);
        long start = System.nanoTime();
        long seen = scanner.scanAll(Long.MAX_VALUE);
        long elapsed = System.nanoTime() - start;
        if (seen != settings.events()) {
            throw new IllegalStateException(subject + " read " + seen + " events, expected " + settings.events());
        }
        return seen * 1e9 / elapsed;
    }
}
