package io.annals.store.jsonlines;

/**
 * An import stopped at a line: the line is damaged, contradicts the store, or the store or the
 * input failed while it was being imported. Everything {@link #committed()} stays in the store;
 * importing the file again (fixed) skips it and goes on.
 */
public final class ImportFailedException extends RuntimeException {

    private final long line;
    private final ImportResult committed;

    public ImportFailedException(long line, String problem, ImportResult committed, Throwable cause) {
        super("line " + line + ": " + problem + "; " + describe(committed), cause);
        this.line = line;
        this.committed = committed;
    }

    /** The line the import stopped at, from 1; nothing of it and of the lines after it was committed. */
    public long line() {
        return line;
    }

    /** What was committed before the failure. */
    public ImportResult committed() {
        return committed;
    }

    private static String describe(ImportResult committed) {
        if (committed.events() == 0 && committed.deletions() == 0) {
            return "nothing was committed";
        }
        return committed.events() + " events before it were committed (" + committed.eventsWritten() + " written, "
                + committed.eventsSkipped() + " already there), and " + committed.deletions()
                + " deletions; importing the file again skips them";
    }
}
