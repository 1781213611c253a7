package io.annals.bench.sagas;

import io.annals.bench.db.BenchDatabase;
import io.annals.bench.db.BenchDatabases;
import io.annals.bench.measure.MachineLoad;
import io.annals.bench.report.CaseResult;
import io.annals.bench.report.JsonLines;
import io.annals.bench.report.ReportTable;
import io.annals.bench.report.Target;
import io.annals.bench.report.Unit;
import io.annals.bench.store.AnnalsStores;
import io.annals.bench.store.StoreKind;
import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.sagas.deadline.Deadline;
import io.annals.sagas.deadline.DeadlineTimer;
import io.annals.store.ExpectedVersion;
import io.annals.store.sqlite.SqliteEventStore;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code timers-100k}: deadlines recorded in a SQLite store, due evenly over a spread of time,
 * fired by one {@link DeadlineTimer}: how late each is handed over (p50, p99, max), the heap
 * the pending ones take, and the process's CPU while they wait. {@code saga-throughput}: see
 * {@link SagaThroughput}, on the store {@code --store} names.
 */
@Command(name = "sagas", mixinStandardHelpOptions = true,
        description = "Measures the durable deadline timer (lateness of 100,000 deadlines due over a minute, their heap, the CPU "
                + "while they wait) and three-step sagas per second against append-64-clients on the same store.")
public final class SagasBenchCommand implements Callable<Integer> {

    static final String SUITE = "sagas";
    static final String TIMERS = "timers-100k";
    private static final List<String> CASES = List.of(TIMERS, SagaThroughput.CASE);
    private static final int OWNERS = 1_000;
    private static final double MB = 1024.0 * 1024.0;

    @Spec
    CommandSpec spec;

    @Option(names = "--case", description = "run only these cases (repeatable): timers-100k, saga-throughput")
    List<String> cases = List.of();

    @Option(names = "--store", defaultValue = "sqlite", paramLabel = "KIND",
            description = "Event store of saga-throughput: postgres or sqlite (default: ${DEFAULT-VALUE}); timers-100k runs on SQLite")
    StoreKind store;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "PostgreSQL JDBC URL for --store postgres; default: $"
            + BenchDatabases.PG_URL_VARIABLE + ", else an embedded PostgreSQL")
    String jdbcUrl;

    @Option(names = "--seconds", defaultValue = "5", description = "saga-throughput: measurement window of each run (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup-seconds", defaultValue = "2", description = "saga-throughput: warm-up before each window (default: ${DEFAULT-VALUE})")
    double warmupSeconds;

    @Option(names = "--rounds", defaultValue = "3", description = "saga-throughput: rounds of the case and its baseline in turns; the medians count (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--saga-clients", defaultValue = "64", description = "saga-throughput: sagas running at once (default: ${DEFAULT-VALUE}, as many as append-64-clients has clients)")
    int sagaClients;

    @Option(names = "--timers", defaultValue = "100000", description = "deadlines to schedule (default: ${DEFAULT-VALUE})")
    int timers;

    @Option(names = "--spread-seconds", defaultValue = "60", description = "the deadlines fall due evenly over this long (default: ${DEFAULT-VALUE})")
    double spreadSeconds;

    @Option(names = "--lead-seconds", defaultValue = "20", description = "the first deadline is due this long after scheduling begins, time to store and load them (default: ${DEFAULT-VALUE})")
    double leadSeconds;

    @Option(names = "--baseline-seconds", defaultValue = "3", description = "how long the CPU of a timer with nothing pending is measured (default: ${DEFAULT-VALUE})")
    double baselineSeconds;

    @Option(names = "--json", description = "print one JSON object per case on stdout (the table goes to stderr)")
    boolean json;

    private final Map<String, String> environment;

    public SagasBenchCommand() {
        this(System.getenv());
    }

    SagasBenchCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        if (timers < OWNERS || spreadSeconds <= 0 || leadSeconds <= 0 || baselineSeconds <= 0) {
            throw new ParameterException(spec.commandLine(), "--timers must be at least " + OWNERS
                    + ", --spread-seconds, --lead-seconds and --baseline-seconds positive");
        }
        if (!(seconds > 0) || !(warmupSeconds >= 0) || rounds < 1 || sagaClients < 1 || sagaClients > 10_000) {
            throw new ParameterException(spec.commandLine(), "--seconds must be above 0, --warmup-seconds at least 0, --rounds at least 1 "
                    + "and --saga-clients between 1 and 10000");
        }
        for (String name : cases) {
            if (!CASES.contains(name)) {
                throw new ParameterException(spec.commandLine(), "unknown case '" + name + "'; known cases: " + String.join(", ", CASES));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = spec.commandLine().getErr();
        var results = new ArrayList<CaseResult>();
        if (selected(TIMERS)) {
            progress.println("annals bench sagas: " + timers + " deadlines due over " + spreadSeconds + " s, SQLite; " + MachineLoad.describe());
            for (CaseResult result : timers(progress)) {
                results.add(result);
                if (json) {
                    out.println(JsonLines.line(result));
                    out.flush();
                }
            }
        }
        if (selected(SagaThroughput.CASE)) {
            BenchDatabase database;
            try {
                database = BenchDatabases.open(store, jdbcUrl, environment, progress);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            try (database) {
                progress.println("annals bench sagas: " + SagaThroughput.CASE + " with " + sagaClients + " sagas at once, " + store
                        + " on " + database.description() + "; " + MachineLoad.describe());
                CaseResult result = new SagaThroughput(AnnalsStores.opener(database), progress, sagaClients).run(
                        Duration.ofMillis(Math.round(warmupSeconds * 1000)), Duration.ofMillis(Math.max(1, Math.round(seconds * 1000))),
                        rounds);
                results.add(result);
                if (json && !result.failed()) {
                    out.println(JsonLines.line(result));
                    out.flush();
                }
            }
        }
        progress.println("finished; " + MachineLoad.describe());
        PrintWriter tableOut = json ? progress : out;
        tableOut.print(ReportTable.render(results));
        tableOut.flush();
        return results.stream().anyMatch(CaseResult::failed) ? 1 : 0;
    }

    private boolean selected(String name) {
        return cases.isEmpty() || cases.contains(name);
    }

    private List<CaseResult> timers(PrintWriter progress) throws Exception {
        Path directory = Files.createTempDirectory("annals-bench-sagas");
        try (var store = SqliteEventStore.open(directory.resolve("timers.db"))) {
            // the baseline: the same process and store, a timer with nothing pending
            double emptyCpuMsPerSecond;
            try (var empty = new DeadlineTimer(store, "pm-bench-", Clock.systemUTC(), due -> { }).start()) {
                emptyCpuMsPerSecond = cpuMsPerSecondOver(Duration.ofNanos((long) (baselineSeconds * 1e9)));
            }
            Instant first = Instant.now().plusNanos((long) (leadSeconds * 1e9));
            long spreadNanos = (long) (spreadSeconds * 1e9);
            var byOwner = new ArrayList<List<EventData>>();
            for (int owner = 0; owner < OWNERS; owner++) {
                byOwner.add(new ArrayList<>());
            }
            for (int i = 0; i < timers; i++) {
                Instant due = first.plusNanos(spreadNanos * i / timers);
                byOwner.get(i % OWNERS).add(new Deadline(UUID.randomUUID(), "t" + i, due, "Tick", "{}").scheduled());
            }
            for (int owner = 0; owner < OWNERS; owner++) {
                store.append(StreamId.of("pm-bench-" + owner), ExpectedVersion.noStream(), byOwner.get(owner));
            }
            byOwner.clear();

            long[] lateNanos = new long[timers];
            var fired = new AtomicInteger();
            var allFired = new CountDownLatch(1);
            long heapBefore = usedHeapAfterGc();
            var timer = new DeadlineTimer(store, "pm-bench-", Clock.systemUTC(), due -> {
                long late = Duration.between(due.deadline().dueAt(), Instant.now()).toNanos();
                int n = fired.getAndIncrement();
                if (n < lateNanos.length) {
                    lateNanos[n] = late;
                }
                if (n + 1 == timers) {
                    allFired.countDown();
                }
            }).start();
            double heapMb = Math.max(0, usedHeapAfterGc() - heapBefore) / MB;
            // the time before the first is due: every deadline pending, nothing to do
            Duration idle = Duration.between(Instant.now(), first).minusMillis(200);
            if (idle.isNegative() || idle.isZero()) {
                throw new IllegalStateException("storing and loading the deadlines took longer than --lead-seconds " + leadSeconds);
            }
            Map<String, Long> threadsBefore = threadCpu();
            double idleCpuMsPerSecond = cpuMsPerSecondOver(idle);
            progress.println("while pending, the busiest threads (ms of CPU): " + busiest(threadsBefore, threadCpu()));
            long cpuBefore = processCpuNanos();
            long wallBefore = System.nanoTime();
            boolean done = allFired.await((long) spreadSeconds + 120, TimeUnit.SECONDS);
            double cpuMsPerSecond = (processCpuNanos() - cpuBefore) / 1e6 / ((System.nanoTime() - wallBefore) / 1e9);
            timer.close();
            if (!done) {
                throw new IllegalStateException("only " + fired.get() + " of " + timers + " deadlines fired");
            }
            long[] sorted = lateNanos.clone();
            Arrays.sort(sorted);
            double p50 = sorted[sorted.length / 2] / 1e6;
            double p99 = sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
            double max = sorted[sorted.length - 1] / 1e6;
            progress.printf("timers-100k: late p50 %.3f ms, p99 %.3f ms, max %.3f ms; %.1f MB of heap for %d pending; "
                    + "CPU per second: %.1f ms while all were pending (%.1f ms with none), %.1f ms while they fell due%n",
                    p50, p99, max, heapMb, timers, idleCpuMsPerSecond, emptyCpuMsPerSecond, cpuMsPerSecond);
            var noTimers = new LinkedHashMap<String, Double>();
            noTimers.put("no-timers", emptyCpuMsPerSecond);
            Map<String, Double> none = new LinkedHashMap<>();
            return List.of(
                    new CaseResult(SUITE, "timers-100k-late-p99", Unit.MILLISECONDS, p99, new LinkedHashMap<>(none),
                            List.of(new Target.AtMost(100))),
                    new CaseResult(SUITE, "timers-100k-late-p50", Unit.MILLISECONDS, p50, new LinkedHashMap<>(none), List.of()),
                    new CaseResult(SUITE, "timers-100k-heap", Unit.MEGABYTES, heapMb, new LinkedHashMap<>(none), List.of()),
                    new CaseResult(SUITE, "timers-100k-cpu-ms-per-second-pending", Unit.MILLISECONDS, idleCpuMsPerSecond,
                            noTimers, List.of()),
                    new CaseResult(SUITE, "timers-100k-cpu-ms-per-second-firing", Unit.MILLISECONDS, cpuMsPerSecond,
                            new LinkedHashMap<>(none), List.of()));
        } finally {
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** The process's CPU per second of wall time over {@code window}. */
    private static double cpuMsPerSecondOver(Duration window) throws InterruptedException {
        long cpu = processCpuNanos();
        long wall = System.nanoTime();
        TimeUnit.NANOSECONDS.sleep(window.toNanos());
        return (processCpuNanos() - cpu) / 1e6 / ((System.nanoTime() - wall) / 1e9);
    }

    /** CPU time of each live platform thread (virtual threads show in their carriers), by name and id. */
    private static Map<String, Long> threadCpu() {
        var threads = ManagementFactory.getThreadMXBean();
        var cpu = new LinkedHashMap<String, Long>();
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                cpu.put(info.getThreadName() + "#" + info.getThreadId(), threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return cpu;
    }

    private static String busiest(Map<String, Long> before, Map<String, Long> after) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1_000_000))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(5)
                .map(e -> e.getKey() + "=" + e.getValue())
                .toList().toString();
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
            return hotspot.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report its CPU time");
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
