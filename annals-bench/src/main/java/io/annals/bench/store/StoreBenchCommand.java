package io.annals.bench.store;

import io.annals.bench.db.BenchDatabase;
import io.annals.bench.db.PostgresBenchDatabase;
import io.annals.bench.db.SqliteBenchDatabase;
import io.annals.bench.measure.MachineLoad;
import io.annals.bench.report.CaseResult;
import io.annals.bench.report.JsonLines;
import io.annals.bench.report.ReportTable;
import io.annals.bench.subject.AxonSubject;
import io.annals.bench.subject.RawPostgresSubject;
import io.annals.bench.subject.RawSqliteSubject;
import io.annals.bench.subject.SubjectFactory;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import io.annals.bench.db.OneDatabaseOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Measures an Annals store against raw JDBC (and Axon 4.13 on PostgreSQL) on the same database.")
public final class StoreBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OneDatabaseOptions target;

    @Option(names = "--json", description = "print one JSON object per case on stdout (the table goes to stderr)")
    boolean json;

    @Option(names = "--events", defaultValue = "1000000", description = "events imported and read by import-copy and read-all (default: ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--seconds", defaultValue = "8", description = "measurement window of each throughput case (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup-seconds", defaultValue = "3", description = "warm-up before each throughput window (default: ${DEFAULT-VALUE})")
    double warmupSeconds;

    @Option(names = "--rounds", defaultValue = "3", description = "rounds of the append and import cases: every comparator is measured once per round, in turns, and the median counts (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--load-repetitions", defaultValue = "300", description = "timed loads in load-aggregate-1000 (default: ${DEFAULT-VALUE})")
    int loadRepetitions;

    @Option(names = "--case", description = "run only these cases (repeatable): ${COMPLETION-CANDIDATES}",
            completionCandidates = CaseNames.class)
    List<String> cases = List.of();

    private final Map<String, String> environment;

    public StoreBenchCommand() {
        this(System.getenv());
    }

    StoreBenchCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    static final class CaseNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return StoreSuite.cases().stream().map(c -> c.name()).iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        BenchSettings settings = settings();
        Set<String> selected = selectedCases();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = spec.commandLine().getErr();
        try (BenchDatabase database = openDatabase(progress)) {
            progress.println("annals bench store: " + target.store + " on " + database.description() + "; "
                    + MachineLoad.describe());
            var suite = new StoreSuite(target.store, AnnalsStores.opener(database).asFactory(), baselines(database), progress);
            List<CaseResult> results = suite.run(settings, selected, result -> {
                if (json && !result.failed()) {
                    out.println(JsonLines.line(result));
                }
            });
            progress.println("finished; " + MachineLoad.describe());
            String table = ReportTable.render(results);
            (json ? progress : out).print(table);
            (json ? progress : out).flush();
            return results.stream().anyMatch(CaseResult::failed) ? 1 : 0;
        }
    }

    private BenchSettings settings() {
        if (!(seconds > 0) || !(warmupSeconds >= 0)) {
            throw new ParameterException(spec.commandLine(), "--seconds must be above 0 and --warmup-seconds at least 0");
        }
        if (events < 1 || loadRepetitions < 1 || rounds < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--events, --load-repetitions and --rounds must be at least 1");
        }
        return new BenchSettings(Duration.ofMillis(Math.round(warmupSeconds * 1000)),
                Duration.ofMillis(Math.max(1, Math.round(seconds * 1000))), events, loadRepetitions, rounds);
    }

    private Set<String> selectedCases() {
        var known = StoreSuite.cases().stream().map(c -> c.name()).collect(Collectors.toSet());
        for (String name : cases) {
            if (!known.contains(name)) {
                throw new ParameterException(spec.commandLine(), "unknown case '" + name + "'; known cases: "
                        + String.join(", ", new CaseNames()));
            }
        }
        return new LinkedHashSet<>(cases);
    }

    private BenchDatabase openDatabase(PrintWriter progress) {
        try {
            return target.open(environment, progress);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private List<SubjectFactory> baselines(BenchDatabase database) {
        return switch (database) {
            case PostgresBenchDatabase postgres -> List.of(RawPostgresSubject.factory(postgres), AxonSubject.factory(postgres));
            case SqliteBenchDatabase sqlite -> List.of(RawSqliteSubject.factory(sqlite, AnnalsStores.SQLITE_SYNCHRONOUS.name()));
        };
    }
}
