package io.annals.server.cli;

import java.util.Locale;

/** The closing summary line of export and import. */
final class TransferReport {

    private TransferReport() {
    }

    /**
     * @param what   what was moved, in words
     * @param events the events read or written, for the rate
     */
    static String line(String what, long events, long bytes, long startedNanos, String where) {
        double seconds = Math.max(1e-9, (System.nanoTime() - startedNanos) / 1e9);
        return String.format(Locale.ROOT, "%s (%s) %s in %.1f s (%,.0f events/s)",
                what, ProgressBar.megabytes(bytes), where, seconds, events / seconds);
    }
}
