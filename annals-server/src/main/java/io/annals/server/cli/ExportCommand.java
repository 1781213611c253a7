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
import picocli.CommandLine.ParameterException;
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
            description = "File to write, - for standard output; a file appears only when the export is complete.")
    String out;

    @Option(names = "--force", description = "Overwrite the file when it exists.")
    boolean force;

    private final OutputStream standardOutput;

    ExportCommand() {
        this(System.out);
    }

    ExportCommand(OutputStream standardOutput) {
        this.standardOutput = standardOutput;
    }

    @Override
    public Integer call() throws Exception {
        store.requireDurable("export");
        if (out.equals("-")) {
            return toStandardOutput();
        }
        Path target = Path.of(out).toAbsolutePath();
        if (Files.exists(target) && !force) {
            throw new ParameterException(spec.commandLine(), target + " exists; give --force to overwrite it");
        }
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
        spec.commandLine().getOut().println(summary(exported, bytes, started, target.toString()));
        return 0;
    }

    /** Writes the export to standard output; the summary goes to standard error, apart from the data. */
    private int toStandardOutput() throws Exception {
        long started = System.nanoTime();
        ExportResult exported;
        long bytes;
        try (EventStore source = EventStores.open(store.settings());
             var counting = new CountingOutputStream(new BufferedOutputStream(new NonClosing(standardOutput), 1 << 16),
                     TransferProgress.NONE)) {
            exported = EventStores.transferFor(source).exportJsonLines(counting);
            counting.flush();
            bytes = counting.bytes();
        }
        spec.commandLine().getErr().println(summary(exported, bytes, started, "standard output"));
        return 0;
    }

    private String summary(ExportResult exported, long bytes, long started, String destination) {
        return TransferReport.line(String.format(Locale.ROOT, "exported %,d events and %,d deletions", exported.events(),
                exported.deletions()), exported.events(), bytes, started, "from " + store.settings().describe() + " to " + destination);
    }

    /** Standard output stays open for whoever owns it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws java.io.IOException {
            flush();
        }
    }
}
