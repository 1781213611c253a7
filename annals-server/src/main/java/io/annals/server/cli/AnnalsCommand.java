package io.annals.server.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "annals", mixinStandardHelpOptions = true, versionProvider = AnnalsVersion.class,
        description = "Annals: an event store and event-sourcing node.",
        subcommands = {ServeCommand.class, ExportCommand.class, ImportCommand.class, CommandLine.HelpCommand.class},
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
        var commandLine = new CommandLine(new AnnalsCommand()).setOut(out).setErr(err);
        try {
            commandLine.setDefaultValueProvider(AnnalsDefaults.load(args, environment, Path.of("")));
        } catch (IllegalArgumentException e) {
            err.println("annals: " + e.getMessage());
            err.flush();
            return 2;
        }
        commandLine.setExecutionExceptionHandler((failure, cmd, parsed) -> {
            cmd.getErr().println("annals: " + describe(failure));
            return 1;
        });
        return commandLine.execute(args);
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
