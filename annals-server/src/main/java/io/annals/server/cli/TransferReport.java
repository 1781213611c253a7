package io.annals.server.cli;

import java.util.Locale;

/** The closing summary line of export and import. */
final class TransferReport {

    private TransferReport() {
    }

    static String line(String verb, long events, long bytes, long startedNanos, String where) {
        double seconds = Math.max(1e-9, (System.nanoTime() - startedNanos) / 1e9);
        return String.format(Locale.ROOT, "%s %,d events (%s) %s in %.1f s (%,.0f events/s)",
                verb, events, ProgressBar.megabytes(bytes), where, seconds, events / seconds);
    }
}
