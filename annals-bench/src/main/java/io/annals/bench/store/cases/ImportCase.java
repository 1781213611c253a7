package io.annals.bench.store.cases;

import io.annals.bench.report.Unit;
import io.annals.bench.store.BenchSettings;
import io.annals.bench.subject.BenchSubject;
import io.annals.bench.workload.ImportData;

/**
 * Imports {@code --events} events in streams of ten through each system's bulk path (COPY for
 * raw PostgreSQL, the JSON lines import for Annals), after a smaller warm-up import into the same
 * table. Rendering the input (COPY text, JSON lines) happens before the clock starts, for every
 * comparator alike: the figure is the load into the database.
 */
public record ImportCase() implements StoreCase {

    static final int EVENTS_PER_STREAM = 10;

    @Override
    public String name() {
        return "import-copy";
    }

    @Override
    public Unit unit() {
        return Unit.EVENTS_PER_SECOND;
    }

    @Override
    public int rounds(BenchSettings settings) {
        return settings.rounds();
    }

    @Override
    public boolean supports(BenchSubject subject) {
        return subject instanceof BenchSubject.BulkImporter;
    }

    @Override
    public double measure(BenchSubject subject, BenchSettings settings) throws Exception {
        var importer = (BenchSubject.BulkImporter) subject;
        importer.importAll(ImportData.streams("warmup", Math.max(1, Math.min(settings.events() / 10, 50_000)),
                EVENTS_PER_STREAM));
        var data = ImportData.streams("import", settings.events(), EVENTS_PER_STREAM);
        BenchSubject.PreparedImport load = importer.prepareImport(data);
        long start = System.nanoTime();
        load.run();
        long elapsed = System.nanoTime() - start;
        return ImportData.count(data) * 1e9 / elapsed;
    }
}
