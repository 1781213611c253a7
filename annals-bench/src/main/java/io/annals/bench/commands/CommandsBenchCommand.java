package io.annals.bench.commands;

import io.annals.bench.db.BenchDatabase;
import io.annals.bench.measure.MachineLoad;
import io.annals.bench.report.JsonLines;
import io.annals.bench.report.ReportTable;
import io.annals.bench.store.AnnalsStores;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import io.annals.bench.db.OneDatabaseOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "commands", mixinStandardHelpOptions = true,
        description = "Measures conditional appends and the command bus against unconditional appends on the same store, in the same run.")
public final class CommandsBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OneDatabaseOptions target;

    @Option(names = "--json", description = "print one JSON object per case on stdout (the table goes to stderr)")
    boolean json;

    @Option(names = "--seconds", defaultValue = "5", description = "measurement window of each run (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup-seconds", defaultValue = "2", description = "warm-up before each window (default: ${DEFAULT-VALUE})")
    double warmupSeconds;

    @Option(names = "--rounds", defaultValue = "3", description = "rounds of a case and its baseline, measured in turns; the medians count (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--case", description = "run only these cases (repeatable): ${COMPLETION-CANDIDATES}",
            completionCandidates = CaseNames.class)
    List<String> cases = List.of();

    private final Map<String, String> environment;

    public CommandsBenchCommand() {
        this(System.getenv());
    }

    CommandsBenchCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    static final class CaseNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return CommandsSuite.cases().stream().map(CommandsSuite.CommandsCase::name).iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!(seconds > 0) || !(warmupSeconds >= 0) || rounds < 1) {
            throw new ParameterException(spec.commandLine(), "--seconds must be above 0, --warmup-seconds at least 0 and --rounds at least 1");
        }
        var settings = new CommandsSuite.Settings(Duration.ofMillis(Math.round(warmupSeconds * 1000)),
                Duration.ofMillis(Math.max(1, Math.round(seconds * 1000))), rounds);
        Set<String> selected = selectedCases();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = spec.commandLine().getErr();
        BenchDatabase database;
        try {
            database = target.open(environment, progress);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try (database) {
            progress.println("annals bench commands: " + target.store + " on " + database.description() + "; " + MachineLoad.describe());
            var suite = new CommandsSuite(AnnalsStores.opener(database), progress);
            List<CommandsSuite.Measured> results = suite.run(settings, selected, measured -> {
                if (json && !measured.result().failed()) {
                    out.println(JsonLines.line(measured.result(), extraFigures(measured)));
                }
            });
            progress.println("finished; " + MachineLoad.describe());
            PrintWriter report = json ? progress : out;
            report.print(ReportTable.render(results.stream().map(CommandsSuite.Measured::result).toList()));
            for (CommandsSuite.Measured measured : results) {
                if (!Double.isNaN(measured.conflictsPerSecond())) {
                    report.printf(Locale.ROOT, "%s: %,d successes/s, %,d conflicts/s%n", measured.result().caseName(),
                            Math.round(measured.result().annals()), Math.round(measured.conflictsPerSecond()));
                }
            }
            report.flush();
            return results.stream().anyMatch(measured -> measured.result().failed()) ? 1 : 0;
        }
    }

    private static Map<String, Double> extraFigures(CommandsSuite.Measured measured) {
        return Double.isNaN(measured.conflictsPerSecond())
                ? Map.of() : Map.of("conflictsPerSecond", measured.conflictsPerSecond());
    }

    private Set<String> selectedCases() {
        var known = CommandsSuite.cases().stream().map(CommandsSuite.CommandsCase::name).collect(Collectors.toSet());
        for (String name : cases) {
            if (!known.contains(name)) {
                throw new ParameterException(spec.commandLine(), "unknown case '" + name + "'; known cases: "
                        + String.join(", ", new CaseNames()));
            }
        }
        return new LinkedHashSet<>(cases);
    }
}
