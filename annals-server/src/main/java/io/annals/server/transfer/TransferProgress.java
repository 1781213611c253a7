package io.annals.server.transfer;

/** Told how far an export or import has come. */
@FunctionalInterface
public interface TransferProgress {

    TransferProgress NONE = (lines, bytes) -> { };

    /** Called as data moves, with the lines (events) and bytes so far. */
    void advanced(long lines, long bytes);
}
