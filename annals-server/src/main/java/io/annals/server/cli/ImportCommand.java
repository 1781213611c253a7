package io.annals.server.cli;

import io.annals.server.store.EventStores;
import io.annals.server.transfer.CountingInputStream;
import io.annals.server.transfer.TransferProgress;
import io.annals.store.EventStore;
import io.annals.store.jsonlines.ImportResult;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Store the events and deletions of a JSON lines export (docs/json-lines-format.md), keeping",
                "stream ids, versions, event ids and times. Import into an empty store, or one whose streams end where",
                "the file's begin. Lines are committed in chunks of ten thousand: a damaged line stops the import and",
                "says how much was committed before it; importing the file again skips what is already there."})
final class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "FILE", description = "JSON lines file written by 'annals export'.")
    Path file;

    @Override
    public Integer call() throws Exception {
        store.requireDurable("import");
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "no such file: " + file);
        }
        ProgressBar bar = ProgressBar.on(ProgressBar.isTerminal(), spec.commandLine().getErr(), "importing", Files.size(file));
        long started = System.nanoTime();
        ImportResult imported;
        long bytes;
        try (EventStore target = EventStores.open(store.settings());
             InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             var counting = new CountingInputStream(in, bar == null ? TransferProgress.NONE : bar)) {
            imported = EventStores.transferFor(target).importJsonLines(counting);
            bytes = counting.bytes();
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        spec.commandLine().getOut().println(TransferReport.line(String.format(Locale.ROOT,
                        "imported %,d events (%,d already there) and %,d deletions", imported.eventsWritten(),
                        imported.eventsSkipped(), imported.deletions()),
                imported.events(), bytes, started, "from " + file + " into " + store.settings().describe()));
        return 0;
    }
}
