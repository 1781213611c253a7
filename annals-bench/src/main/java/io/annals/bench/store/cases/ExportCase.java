package io.annals.bench.store.cases;

import io.annals.bench.report.Unit;
import io.annals.bench.store.BenchSettings;
import io.annals.bench.subject.BenchSubject;
import io.annals.bench.workload.ImportData;
import java.io.OutputStream;

/**
 * Exports {@code --events} events, in streams of ten, as JSON lines into a stream that counts
 * and drops the bytes: the read and the encoding, not a disk's write speed. A full export warms
 * up first (the JIT needs it); the figure is the second.
 */
public record ExportCase() implements StoreCase {

    @Override
    public String name() {
        return "export-json-lines";
    }

    @Override
    public Unit unit() {
        return Unit.EVENTS_PER_SECOND;
    }

    @Override
    public boolean supports(BenchSubject subject) {
        return subject instanceof BenchSubject.Exporter
                && (subject instanceof BenchSubject.BulkImporter || subject instanceof BenchSubject.BatchAppender);
    }

    @Override
    public double measure(BenchSubject subject, BenchSettings settings) throws Exception {
        var exporter = (BenchSubject.Exporter) subject;
        Fill.write(subject, ImportData.streams("history", settings.events(), ImportCase.EVENTS_PER_STREAM));
        exporter.exportAll(OutputStream.nullOutputStream());
        var out = new CountingSink();
        long start = System.nanoTime();
        long exported = exporter.exportAll(out);
        long elapsed = System.nanoTime() - start;
        if (exported != settings.events() || out.lines != settings.events()) {
            throw new IllegalStateException(subject + " exported " + exported + " events in " + out.lines
                    + " lines, expected " + settings.events());
        }
        return exported * 1e9 / elapsed;
    }

    /** Counts line ends, so that an exporter cannot claim lines it did not write. */
    private static final class CountingSink extends OutputStream {
        long lines;

        @Override
        public void write(int b) {
            if (b == '\n') {
                lines++;
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (bytes[i] == '\n') {
                    lines++;
                }
            }
        }
    }
}
