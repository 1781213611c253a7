package io.annals.server.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "annals", mixinStandardHelpOptions = true, versionProvider = AnnalsVersion.class,
        description = "Annals: an event store and event-sourcing node.",
        subcommands = {ServeCommand.class, ExportCommand.class, ImportCommand.class, LoadCommand.class,
                ProjectionsCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Options can also be set with environment variables ANNALS_<OPTION> (for example ANNALS_PORT, "
                + "ANNALS_JDBC_URL) or in a properties file (./annals.properties, --config FILE or ANNALS_CONFIG)."})
public final class AnnalsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv()));
    }

    /** Runs the command line and returns the exit code: 0 success, 1 failure, 2 bad usage. */
    public static int execute(String[] args, Map<String, String> environment) {
        return execute(args, environment, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    static int execute(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        return execute(args, environment, out, err, System.out);
    }

    /** As above, with {@code data} where {@code export --out -} writes. */
    static int execute(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err, OutputStream data) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> type) throws Exception {
                return type == ExportCommand.class ? (K) new ExportCommand(data) : defaults.create(type);
            }
        };
        var commandLine = new CommandLine(new AnnalsCommand(), factory).setOut(out).setErr(err);
        try {
            AnnalsDefaults loaded = AnnalsDefaults.load(args, environment, Path.of(""));
            loaded.checkKeys(optionNames(commandLine));
            commandLine.setDefaultValueProvider(loaded);
        } catch (IllegalArgumentException e) {
            err.println("annals: " + e.getMessage());
            err.flush();
            return 2;
        }
        // a refusal says why and where to look, not the whole usage
        commandLine.setParameterExceptionHandler((refusal, given) -> {
            CommandLine refusing = refusal.getCommandLine();
            refusing.getErr().println("annals: " + refusal.getMessage());
            refusing.getErr().println("Try '" + refusing.getCommandSpec().qualifiedName() + " --help' for its options.");
            refusing.getErr().flush();
            return 2;
        });
        commandLine.setExecutionExceptionHandler((failure, cmd, parsed) -> {
            cmd.getErr().println("annals: " + describe(failure));
            return 1;
        });
        return commandLine.execute(args);
    }

    /** The long option names of every command, without their dashes: what a config file may set. */
    static Set<String> optionNames(CommandLine commandLine) {
        var names = new HashSet<String>();
        collect(commandLine, names);
        return names;
    }

    private static void collect(CommandLine commandLine, Set<String> names) {
        for (var option : commandLine.getCommandSpec().options()) {
            if (option.longestName().startsWith("--")) {
                names.add(option.longestName().substring(2));
            }
        }
        commandLine.getSubcommands().values().forEach(sub -> collect(sub, names));
    }

    private static String describe(Exception failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
