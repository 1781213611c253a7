package io.annals.store.sqlite;

/**
 * What an NDJSON import did.
 *
 * @param eventsRead    lines read (one event each)
 * @param eventsWritten events newly written; the rest were already in the store (a re-import)
 */
public record ImportResult(long eventsRead, long eventsWritten) {
}
