package io.annals.server.transfer;

import io.annals.store.postgres.PostgresEventStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** The PostgreSQL store's own bulk path: COPY in one transaction, recording times kept. */
public record PostgresNdjsonTransfer(PostgresEventStore store) implements NdjsonTransfer {

    @Override
    public long exportTo(OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        long count = store.exportEvents(writer);
        writer.flush();
        return count;
    }

    @Override
    public long importFrom(InputStream in) throws IOException {
        return store.importEvents(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
