package io.annals.server.cli;

import io.annals.server.store.EventStores;
import io.annals.server.transfer.CountingInputStream;
import io.annals.server.transfer.TransferProgress;
import io.annals.store.EventStore;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Append the events of an NDJSON export to a store, keeping stream ids, versions and event ids.",
                "Import into an empty store (or one whose streams end where the file's begin).",
                "Into PostgreSQL the events go through COPY in one transaction: a bad line or a clash writes nothing.",
                "Into SQLite, importing the same file again skips the events already there."})
final class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "FILE", description = "NDJSON file written by 'annals export'.")
    Path file;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "no such file: " + file);
        }
        ProgressBar bar = ProgressBar.on(ProgressBar.isTerminal(), spec.commandLine().getErr(), "importing", Files.size(file));
        long started = System.nanoTime();
        long written;
        long bytes;
        try (EventStore target = EventStores.open(store.settings());
             InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             var counting = new CountingInputStream(in, bar == null ? TransferProgress.NONE : bar)) {
            written = EventStores.transferFor(target).importFrom(counting);
            bytes = counting.bytes();
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        spec.commandLine().getOut().println(TransferReport.line("imported", written, bytes, started,
                "from " + file + " into " + store.settings().describe()));
        return 0;
    }
}
