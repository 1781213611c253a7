package io.annals.server.cli;

import io.annals.server.store.EventStores;
import io.annals.server.transfer.CountingOutputStream;
import io.annals.server.transfer.TransferProgress;
import io.annals.store.EventStore;
import io.annals.store.jsonlines.ExportResult;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write every event of a store, in global order, then every stream deletion, to a JSON lines file",
                "(docs/json-lines-format.md). Use it to back up a node or, with import, to move a store between SQLite",
                "and PostgreSQL: the restored store answers every read as this one does."})
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "File to write; it appears only when the export is complete.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path target = out.toAbsolutePath();
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        ProgressBar bar = ProgressBar.on(ProgressBar.isTerminal(), spec.commandLine().getErr(), "exporting", 0);
        long started = System.nanoTime();
        ExportResult exported;
        long bytes;
        try (EventStore source = EventStores.open(store.settings());
             OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16);
             var counting = new CountingOutputStream(file, bar == null ? TransferProgress.NONE : bar)) {
            exported = EventStores.transferFor(source).exportJsonLines(counting);
            counting.flush();
            bytes = counting.bytes();
        } catch (Exception e) {
            Files.deleteIfExists(partial);
            throw e;
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        spec.commandLine().getOut().println(TransferReport.line(String.format(Locale.ROOT,
                        "exported %,d events and %,d deletions", exported.events(), exported.deletions()), exported.events(), bytes, started,
                "from " + store.settings().describe() + " to " + target));
        return 0;
    }
}
