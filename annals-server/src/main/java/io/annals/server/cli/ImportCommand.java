package io.annals.server.cli;

import io.annals.server.store.EventStores;
import io.annals.server.transfer.NdjsonImport;
import io.annals.server.transfer.TransferProgress;
import io.annals.server.transfer.TransferSummary;
import io.annals.store.EventStore;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Append the events of an NDJSON export to a store, keeping stream ids, versions and event ids.",
                "Running the same import twice writes nothing the second time."})
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
        TransferSummary summary;
        try (EventStore target = EventStores.open(store.settings());
             BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            summary = NdjsonImport.importInto(target, in, bar == null ? TransferProgress.NONE : bar);
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        spec.commandLine().getOut().println(String.format(Locale.ROOT,
                "imported %,d events of %,d streams (%s) from %s into %s in %.1f s (%,.0f events/s)",
                summary.events(), summary.streams(), ProgressBar.megabytes(summary.bytes()), file,
                store.settings().describe(), summary.elapsed().toMillis() / 1000.0, summary.eventsPerSecond()));
        return 0;
    }
}
