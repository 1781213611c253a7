package io.annals.bench.http;

import io.annals.bench.db.BenchDatabase;
import io.annals.bench.db.BenchDatabases;
import io.annals.bench.db.PostgresBenchDatabase;
import io.annals.bench.db.SchemaNames;
import io.annals.bench.db.SqliteBenchDatabase;
import io.annals.bench.measure.MachineLoad;
import io.annals.bench.measure.ThroughputRunner;
import io.annals.bench.report.CaseResult;
import io.annals.bench.report.JsonLines;
import io.annals.bench.report.ReportTable;
import io.annals.bench.report.Target;
import io.annals.bench.report.Unit;
import io.annals.bench.store.AnnalsStores;
import io.annals.bench.store.BenchSettings;
import io.annals.bench.store.StoreKind;
import io.annals.bench.store.cases.AppendSingleEventsCase;
import io.annals.bench.subject.OpenedStore;
import io.annals.server.store.StoreSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "http", mixinStandardHelpOptions = true,
        description = {"Measures appends through a node's HTTP API against appending to the same store directly,",
                "and the user API's registrations and email changes against those appends and against plain JDBC behind the same HTTP stack."})
public final class HttpBenchCommand implements Callable<Integer> {

    static final String SUITE = "http";
    private static final String STORE_DIRECT = "store-direct";
    private static final String NO_OP = "no-op";
    private static final String APPEND = "append";
    private static final String RAW_USERS = "raw-users";

    @Spec
    CommandSpec spec;

    @Option(names = "--store", paramLabel = "KIND", description = "Event store: postgres or sqlite (repeatable; default: both)")
    List<StoreKind> stores = List.of();

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "PostgreSQL JDBC URL to measure on; default: $" + BenchDatabases.PG_URL_VARIABLE
            + ", else an embedded PostgreSQL")
    String jdbcUrl;

    @Option(names = "--json", description = "print one JSON object per case on stdout (the table goes to stderr)")
    boolean json;

    @Option(names = "--clients", defaultValue = "64", description = "concurrent clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--seconds", defaultValue = "8", description = "measurement window (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup-seconds", defaultValue = "12", description = "warm-up before the window; the JIT needs about ten seconds for the HTTP stack (default: ${DEFAULT-VALUE})")
    double warmupSeconds;

    private final Map<String, String> environment;

    public HttpBenchCommand() {
        this(System.getenv());
    }

    HttpBenchCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        if (!(seconds > 0) || !(warmupSeconds >= 0) || clients < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--seconds must be above 0, --warmup-seconds at least 0 and --clients at least 1");
        }
        var settings = new BenchSettings(Duration.ofMillis(Math.round(warmupSeconds * 1000)),
                Duration.ofMillis(Math.max(1, Math.round(seconds * 1000))), 1, 1, 1);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = spec.commandLine().getErr();
        var kinds = stores.isEmpty() ? List.of(StoreKind.SQLITE, StoreKind.POSTGRES) : List.copyOf(new LinkedHashSet<>(stores));
        if (jdbcUrl != null && !kinds.contains(StoreKind.POSTGRES)) {
            throw new ParameterException(spec.commandLine(), "--jdbc-url applies to --store postgres only");
        }
        var results = new ArrayList<CaseResult>();
        for (StoreKind kind : kinds) {
            for (CaseResult result : measure(kind, settings, progress)) {
                results.add(result);
                if (json) {
                    out.println(JsonLines.line(result));
                }
            }
        }
        progress.println("finished; " + MachineLoad.describe());
        PrintWriter tableOut = json ? progress : out;
        tableOut.print(ReportTable.render(results));
        tableOut.flush();
        return 0;
    }

    private List<CaseResult> measure(StoreKind kind, BenchSettings settings, PrintWriter progress) throws Exception {
        BenchDatabase database;
        try {
            database = BenchDatabases.open(kind, kind == StoreKind.POSTGRES ? jdbcUrl : null, environment, progress);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try (database) {
            progress.println("annals bench http: " + kind + " on " + database.description() + "; "
                    + MachineLoad.describe());
            var opener = AnnalsStores.opener(database);
            var direct = AppendSingleEventsCase.concurrentClients(clients);
            progress.printf("[%s] %s ...%n", kind, STORE_DIRECT);
            double storeDirect = direct.measure(opener.asFactory(), settings);
            progress.printf("[%s] %s: %s events/s%n", kind, STORE_DIRECT, ReportTable.format(storeDirect, Unit.EVENTS_PER_SECOND));

            // the ceiling right before the node, so that both meet the machine in the same minute
            progress.printf("[%s] %s ...%n", kind, NO_OP);
            ThroughputRunner.Result noOp = HttpAppendCase.measureNoOp(clients, settings.warmup(), settings.measure());
            requireAnswers(noOp, settings);
            progress.printf("[%s] %s: %s requests/s, p99 %.3f ms%n", kind, NO_OP,
                    ReportTable.format(noOp.eventsPerSecond(), Unit.EVENTS_PER_SECOND), noOp.latencies().percentileMillis(99));

            progress.printf("[%s] http ...%n", kind);
            ThroughputRunner.Result http;
            try (OpenedStore opened = opener.open("http-append", clients)) {
                http = HttpAppendCase.measure(opened.store(), describe(database), clients, settings.warmup(), settings.measure());
            }
            requireAnswers(http, settings);
            double p99 = http.latencies().percentileMillis(99);
            progress.printf("[%s] http: %s requests/s, p99 %.3f ms%n", kind,
                    ReportTable.format(http.eventsPerSecond(), Unit.EVENTS_PER_SECOND), p99);

            progress.printf("[%s] users ...%n", kind);
            ThroughputRunner.Result users = onFreshStore(database, "http-users",
                    store -> HttpUsersCase.measure(store, clients, settings.warmup(), settings.measure()));
            requireAnswers(users, settings);
            double usersP99 = users.latencies().percentileMillis(99);
            progress.printf("[%s] users: %s requests/s, p99 %.3f ms%n", kind,
                    ReportTable.format(users.eventsPerSecond(), Unit.REQUESTS_PER_SECOND), usersP99);

            // the users' ceiling right after them, so that both meet the machine in the same minute
            progress.printf("[%s] %s ...%n", kind, RAW_USERS);
            ThroughputRunner.Result rawUsers = onFreshStore(database, "http-raw-users",
                    store -> RawUsersServer.measure(store, clients, settings.warmup(), settings.measure()));
            requireAnswers(rawUsers, settings);
            double rawUsersP99 = rawUsers.latencies().percentileMillis(99);
            progress.printf("[%s] %s: %s requests/s, p99 %.3f ms%n", kind, RAW_USERS,
                    ReportTable.format(rawUsers.eventsPerSecond(), Unit.REQUESTS_PER_SECOND), rawUsersP99);

            String name = "append-" + clients + "-clients-" + kind;
            var baselines = new LinkedHashMap<String, Double>();
            baselines.put(NO_OP, noOp.eventsPerSecond());
            baselines.put(STORE_DIRECT, storeDirect);
            // SQLite's direct rate is beyond what any server on these cores answers (see docs/benchmarks.md),
            // so the node on it is held to the HTTP stack's own ceiling; PostgreSQL's is not
            Target target = switch (kind) {
                case SQLITE -> new Target.AtLeastTimes(NO_OP, 0.5);
                case POSTGRES -> new Target.AtLeastTimes(STORE_DIRECT, 0.5);
            };
            // the no-op server's own p99 in the same minute: the latency these cores give any server under this load
            var latencyCeiling = new LinkedHashMap<String, Double>();
            latencyCeiling.put(NO_OP, noOp.latencies().percentileMillis(99));
            // the user API against the node's own single-event append of the same run (what a command costs over
            // one append) and against the same requests done in plain JDBC (what these cores and this database allow)
            String usersName = "users-" + clients + "-clients-" + kind;
            var usersBaselines = new LinkedHashMap<String, Double>();
            usersBaselines.put(APPEND, http.eventsPerSecond());
            usersBaselines.put(RAW_USERS, rawUsers.eventsPerSecond());
            var usersLatencyBaselines = new LinkedHashMap<String, Double>();
            usersLatencyBaselines.put(APPEND, p99);
            usersLatencyBaselines.put(RAW_USERS, rawUsersP99);
            return List.of(
                    new CaseResult(SUITE, name, Unit.EVENTS_PER_SECOND, http.eventsPerSecond(), baselines, List.of(target)),
                    new CaseResult(SUITE, name + "-p99", Unit.MILLISECONDS, p99, latencyCeiling,
                            List.of(new Target.AtMost(50))),
                    new CaseResult(SUITE, usersName, Unit.REQUESTS_PER_SECOND, users.eventsPerSecond(),
                            usersBaselines, List.of(new Target.AtLeastTimes(APPEND, 0.25))),
                    new CaseResult(SUITE, usersName + "-p99", Unit.MILLISECONDS, usersP99, usersLatencyBaselines,
                            List.of(new Target.AtMost(50))));
        }
    }

    /** What runs on a fresh store. */
    @FunctionalInterface
    interface OnStore<T> {
        T run(StoreSettings store) throws Exception;
    }

    /** Runs {@code run} on a fresh store of {@code database}: a directory of its own, or a schema dropped afterwards. */
    static <T> T onFreshStore(BenchDatabase database, String caseName, OnStore<T> run) throws Exception {
        String name = SchemaNames.fresh(caseName, "annals");
        return switch (database) {
            // the directory goes with the database's own when it closes
            case SqliteBenchDatabase sqlite -> run.run(new StoreSettings.Sqlite(sqlite.directory().resolve(name)));
            case PostgresBenchDatabase postgres -> {
                try {
                    yield run.run(new StoreSettings.Postgres(postgres.jdbcUrl(), name));
                } finally {
                    postgres.dropSchema(name);
                }
            }
        };
    }

    private static void requireAnswers(ThroughputRunner.Result result, BenchSettings settings) {
        if (result.latencies().size() == 0) {
            throw new IllegalStateException("no HTTP append finished within the " + settings.measure().toMillis()
                    + " ms window; give --seconds more time");
        }
    }

    private static StoreSettings describe(BenchDatabase database) {
        return switch (database) {
            case PostgresBenchDatabase postgres -> new StoreSettings.Postgres(postgres.jdbcUrl());
            case SqliteBenchDatabase sqlite -> new StoreSettings.Sqlite(sqlite.directory());
        };
    }
}
