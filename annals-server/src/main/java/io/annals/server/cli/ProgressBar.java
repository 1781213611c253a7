package io.annals.server.cli;

import io.annals.server.transfer.TransferProgress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Shows progress on one terminal line: a bar of the fraction done when it is known, then a few
 * words of detail (events moved, requests sent). Redraws at most every 100 ms so that printing
 * never slows the work it reports on.
 */
final class ProgressBar implements TransferProgress {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000;

    private final PrintWriter terminal;
    private final String label;
    private final long totalBytes;
    private long lastDraw;
    private boolean drawn;

    /** A bar for a transfer of {@code totalBytes} (0 when unknown). */
    ProgressBar(PrintWriter terminal, String label, long totalBytes) {
        this.terminal = terminal;
        this.label = label;
        this.totalBytes = totalBytes;
    }

    /** A bar for work that reports its own fraction done ({@link #show}). */
    ProgressBar(PrintWriter terminal, String label) {
        this(terminal, label, 0);
    }

    @Override
    public void advanced(long events, long bytes) {
        double done = totalBytes <= 0 ? -1 : (double) bytes / totalBytes;
        String detail = totalBytes <= 0
                ? String.format(Locale.ROOT, "%,d events, %s", events, megabytes(bytes))
                : String.format(Locale.ROOT, "%,d events", events);
        show(done, detail);
    }

    /** Redraws the line with {@code fraction} done (0 to 1; negative when unknown) and {@code detail}. */
    void show(double fraction, String detail) {
        show(fraction, () -> detail);
    }

    /** As above, with the detail worded only when the line is redrawn: for callers that report often. */
    synchronized void show(double fraction, Supplier<String> detail) {
        long now = System.nanoTime();
        if (drawn && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        drawn = true;
        terminal.print("\r\033[2K" + render(fraction, detail.get()));
        terminal.flush();
    }

    synchronized void finish() {
        if (drawn) {
            terminal.print("\r\033[2K");
            terminal.flush();
        }
    }

    String render(double fraction, String detail) {
        if (fraction < 0) {
            return label + " " + detail;
        }
        double done = Math.min(1.0, fraction);
        int filled = (int) Math.round(done * WIDTH);
        return String.format(Locale.ROOT, "%s [%s%s] %3.0f%% %s", label, "#".repeat(filled),
                " ".repeat(WIDTH - filled), done * 100, detail);
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
