package io.annals.server.cli;

import io.annals.server.transfer.TransferProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows transfer progress on one terminal line. With a known total it draws a bar of bytes done;
 * otherwise a running count. Redraws at most every 100 ms so that printing never slows the copy.
 */
final class ProgressBar implements TransferProgress {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000;

    private final PrintWriter terminal;
    private final String label;
    private final long totalBytes;
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintWriter terminal, String label, long totalBytes) {
        this.terminal = terminal;
        this.label = label;
        this.totalBytes = totalBytes;
    }

    @Override
    public void advanced(long events, long bytes) {
        long now = System.nanoTime();
        if (drawn && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        drawn = true;
        terminal.print('\r' + render(events, bytes));
        terminal.flush();
    }

    void finish() {
        if (drawn) {
            terminal.print("\r\033[2K");
            terminal.flush();
        }
    }

    String render(long events, long bytes) {
        if (totalBytes <= 0) {
            return String.format(Locale.ROOT, "%s %,d events, %s", label, events, megabytes(bytes));
        }
        double done = Math.min(1.0, (double) bytes / totalBytes);
        int filled = (int) Math.round(done * WIDTH);
        return String.format(Locale.ROOT, "%s [%s%s] %3.0f%% %,d events", label, "#".repeat(filled),
                " ".repeat(WIDTH - filled), done * 100, events);
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /** A progress bar when {@code interactive}, else nothing. */
    static ProgressBar on(boolean interactive, PrintWriter err, String label, long totalBytes) {
        return interactive ? new ProgressBar(err, label, totalBytes) : null;
    }

    static boolean isTerminal() {
        var console = System.console();
        return console != null && console.isTerminal();
    }
}
