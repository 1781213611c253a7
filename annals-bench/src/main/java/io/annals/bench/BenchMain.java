package io.annals.bench;

import io.annals.bench.commands.CommandsBenchCommand;
import io.annals.bench.projections.ProjectionsBenchCommand;
import io.annals.bench.cep.CepBenchCommand;
import io.annals.bench.http.HttpBenchCommand;
import io.annals.bench.kafka.KafkaBenchCommand;
import io.annals.bench.sagas.SagasBenchCommand;
import io.annals.bench.store.StoreBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./annals bench ...}: the benchmark suites. */
@Command(name = "annals bench", mixinStandardHelpOptions = true,
        description = "Benchmarks Annals against raw JDBC and Axon Framework on the same database, and its CEP engine against Siddhi.",
        subcommands = {StoreBenchCommand.class, HttpBenchCommand.class, CepBenchCommand.class, CommandsBenchCommand.class, SagasBenchCommand.class, KafkaBenchCommand.class,
                ProjectionsBenchCommand.class, CommandLine.HelpCommand.class})
public final class BenchMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with error handling that prints a message, not a stack trace. */
    public static CommandLine commandLine() {
        var commandLine = new CommandLine(new BenchMain());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            cmd.getErr().println("annals bench failed: " + BenchFailures.describe(exception));
            return 1;
        });
        return commandLine;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a suite: store, http, cep, commands, sagas, projections or kafka");
    }
}
