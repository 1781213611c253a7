package io.annals.server.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Moves all events of a store to and from NDJSON: one recorded event per line with
 * {@code eventId, streamId, version, type, data, metadata, recordedAt, occurredAt} (and
 * {@code position}, which importers ignore: the target assigns its own).
 */
public interface NdjsonTransfer {

    /** Writes every event in global order; returns how many. */
    long exportTo(OutputStream out) throws IOException;

    /** Appends the events of an export; returns how many were written (0 for a repeated import). */
    long importFrom(InputStream in) throws IOException;
}
