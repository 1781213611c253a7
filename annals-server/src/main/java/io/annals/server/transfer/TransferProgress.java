package io.annals.server.transfer;

/** Told how far an export or import has come. */
@FunctionalInterface
public interface TransferProgress {

    TransferProgress NONE = (events, bytes) -> { };

    /** Called after each batch with the totals so far. */
    void advanced(long events, long bytes);
}
