package io.annals.bench.projections;

import io.annals.bench.db.BenchDatabase;
import io.annals.bench.measure.MachineLoad;
import io.annals.bench.report.CaseResult;
import io.annals.bench.report.JsonLines;
import io.annals.bench.report.ReportTable;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import io.annals.bench.db.OneDatabaseOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "projections", mixinStandardHelpOptions = true,
        description = "Measures a projection's catch-up against raw JDBC batched upserts of the same rows, and the latency "
                + "from an append to the read model beside a bare subscription's, on the same database in the same run.")
public final class ProjectionsBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OneDatabaseOptions target;

    @Option(names = "--events", defaultValue = "1000000", description = "events the catch-up case projects (default: ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--rate", defaultValue = "500", description = "appends per second in the latency case (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--seconds", defaultValue = "10", description = "measurement window of the latency case (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup-seconds", defaultValue = "3", description = "warm-up of the latency case (default: ${DEFAULT-VALUE})")
    double warmupSeconds;

    @Option(names = "--json", description = "print one JSON object per case on stdout (the table goes to stderr)")
    boolean json;

    @Option(names = "--case", description = "run only these cases (repeatable): catch-up or end-to-end-latency-p99, "
            + "with the store's suffix")
    List<String> cases = List.of();

    private final Map<String, String> environment;

    public ProjectionsBenchCommand() {
        this(System.getenv());
    }

    ProjectionsBenchCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        if (events < 1 || rate < 1 || rate > 100_000 || !(seconds > 0) || !(warmupSeconds >= 0)) {
            throw new ParameterException(spec.commandLine(), "--events and --seconds must be positive, --rate between 1 "
                    + "and 100000, --warmup-seconds at least 0");
        }
        for (String name : cases) {
            if (!ProjectionsSuite.caseNames().contains(name) || !name.endsWith(target.store.toString())) {
                throw new ParameterException(spec.commandLine(), "unknown case '" + name + "' for --store " + target.store
                        + "; known cases: " + String.join(", ", ProjectionsSuite.caseNames()));
            }
        }
        var settings = new ProjectionsSuite.Settings(events, rate, Duration.ofMillis(Math.round(warmupSeconds * 1000)),
                Duration.ofMillis(Math.max(1, Math.round(seconds * 1000))));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = spec.commandLine().getErr();
        BenchDatabase database;
        try {
            database = target.open(environment, progress);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try (database) {
            progress.println("annals bench projections: " + target.store + " on " + database.description() + "; "
                    + MachineLoad.describe());
            var suite = new ProjectionsSuite(database, progress);
            var results = new ArrayList<CaseResult>();
            for (String name : suite.casesOfThisDatabase()) {
                if (!cases.isEmpty() && !cases.contains(name)) {
                    continue;
                }
                progress.println("running " + name);
                progress.flush();
                CaseResult result = suite.run(name, settings);
                results.add(result);
                if (json) {
                    out.println(JsonLines.line(result));
                    out.flush();
                }
            }
            progress.println("finished; " + MachineLoad.describe());
            PrintWriter report = json ? progress : out;
            report.print(ReportTable.render(results));
            report.flush();
            // a missed target is a figure to report, not a failure of the run
            return 0;
        }
    }
}
