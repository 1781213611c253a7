package io.annals.store.jsonlines;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A store's backup and restore in the JSON lines format ({@code docs/json-lines-format.md}):
 * every event with its id, version and times, and every deletion, so that a restored store
 * answers every read as the original did. Events get the target's own positions, in file order.
 */
public interface JsonLinesTransfer {

    /**
     * Writes every event in global order, then the deletions, from one consistent view of the
     * store. Does not close {@code out}.
     */
    ExportResult exportJsonLines(OutputStream out) throws IOException;

    /**
     * Stores the events and deletions of an export. Each stream must continue where it stands in
     * this store; events it already holds, the same, are skipped, so an import can be repeated
     * and resumed. Lines are committed in chunks, in file order.
     *
     * @throws ImportFailedException naming the line it stopped at and what was committed before it
     */
    ImportResult importJsonLines(InputStream in);
}
