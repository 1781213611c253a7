package io.annals.server.transfer;

import io.annals.store.sqlite.SqliteEventStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The SQLite store's own bulk path: large transactions, recording times kept, repeats skipped. */
public record SqliteNdjsonTransfer(SqliteEventStore store) implements NdjsonTransfer {

    @Override
    public long exportTo(OutputStream out) throws IOException {
        return store.exportNdjson(out);
    }

    @Override
    public long importFrom(InputStream in) throws IOException {
        return store.importNdjson(in).eventsWritten();
    }
}
