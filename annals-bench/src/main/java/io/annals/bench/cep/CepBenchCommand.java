package io.annals.bench.cep;

import io.annals.bench.BenchFailures;
import io.annals.bench.measure.MachineLoad;
import io.annals.bench.report.CaseResult;
import io.annals.bench.report.JsonLines;
import io.annals.bench.report.ReportTable;
import io.annals.bench.report.Target;
import io.annals.bench.report.Unit;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "cep", mixinStandardHelpOptions = true,
        description = "Measures the CEP engine on one thread against a hand-written ring buffer and Siddhi 5.1 on the same events.")
public final class CepBenchCommand implements Callable<Integer> {

    static final String SUITE = "cep";
    static final String RING = "ring-buffer";
    static final String SIDDHI = "siddhi";
    private static final double MB = 1024.0 * 1024.0;

    @Spec
    CommandSpec spec;

    @Option(names = "--events", defaultValue = "5000000", description = "events per workload (default: ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--users", defaultValue = "100000", description = "users in the failed-logins workload (default: ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--rounds", defaultValue = "3", description = "timed runs of Annals and the ring buffer; the median counts (Siddhi runs once) (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--json", description = "print one JSON object per case on stdout (the table goes to stderr)")
    boolean json;

    @Option(names = "--no-siddhi", description = "leave Siddhi out (it takes about half a minute per five million events)")
    boolean noSiddhi;

    @Override
    public Integer call() throws Exception {
        if (events < 1000 || users < 1 || rounds < 1) {
            throw new ParameterException(spec.commandLine(), "--events must be at least 1000, --users and --rounds at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = spec.commandLine().getErr();
        progress.println("annals bench cep: " + events + " events, " + users + " users, one thread; " + MachineLoad.describe());
        var results = new ArrayList<CaseResult>();
        var logins = LoginWorkload.generate(events, users, 0.3, 42);
        results.addAll(failedLogins(logins, progress));
        results.add(absence(RegistrationWorkload.generate(events, 0.7, 43), progress));
        for (CaseResult result : results) {
            if (json && !result.failed()) {
                out.println(JsonLines.line(result));
            }
        }
        progress.println("finished; " + MachineLoad.describe());
        PrintWriter tableOut = json ? progress : out;
        tableOut.print(ReportTable.render(results));
        tableOut.flush();
        return results.stream().anyMatch(CaseResult::failed) ? 1 : 0;
    }

    private List<CaseResult> failedLogins(LoginWorkload workload, PrintWriter progress) throws Exception {
        int warmup = Math.min(workload.size(), 500_000);
        Object[] holder = new Object[1];
        Runs.annalsFailedLogins(workload, warmup, holder);
        Runs.ringBufferFailedLogins(workload, warmup);
        holder[0] = null;

        var annalsRates = new double[rounds];
        var annalsCpuRates = new double[rounds];
        var ringRates = new double[rounds];
        long annalsAlerts = 0;
        long ringAlerts = 0;
        double peakMb = 0;
        double retainedMb = 0;
        for (int round = 0; round < rounds; round++) {
            long before = usedHeapAfterGc();
            resetPeaks();
            long cpu = threadCpu();
            long start = System.nanoTime();
            annalsAlerts = Runs.annalsFailedLogins(workload, workload.size(), holder);
            annalsRates[round] = rate(workload.size(), start);
            annalsCpuRates[round] = workload.size() / ((threadCpu() - cpu) / 1e9);
            peakMb = Math.max(peakMb, peakHeap() / MB);
            retainedMb = Math.max(retainedMb, Math.max(0, usedHeapAfterGc() - before) / MB);
            holder[0] = null;
            start = System.nanoTime();
            ringAlerts = Runs.ringBufferFailedLogins(workload, workload.size());
            ringRates[round] = rate(workload.size(), start);
        }
        var baselines = new LinkedHashMap<String, Double>();
        baselines.put(RING, median(ringRates));
        var failures = new LinkedHashMap<String, String>();
        if (ringAlerts != annalsAlerts) {
            failures.put(RING, "emitted " + ringAlerts + " alerts, Annals " + annalsAlerts);
        }
        progress.printf("cep-failed-logins: annals %,.0f events/s (%,.0f per second of its thread's CPU), %d alerts; "
                + "ring-buffer %,.0f events/s, %d alerts%n",
                median(annalsRates), median(annalsCpuRates), annalsAlerts, median(ringRates), ringAlerts);
        if (!noSiddhi) {
            try {
                SiddhiRun.failedLogins(workload, Math.min(workload.size(), 100_000));
                long start = System.nanoTime();
                long siddhiAlerts = SiddhiRun.failedLogins(workload, workload.size());
                double siddhiRate = rate(workload.size(), start);
                baselines.put(SIDDHI, siddhiRate);
                progress.printf("cep-failed-logins: siddhi %,.0f events/s, %d alerts (skip past last event emulated)%n",
                        siddhiRate, siddhiAlerts);
                if (siddhiAlerts != annalsAlerts) {
                    failures.put(SIDDHI, "emitted " + siddhiAlerts + " alerts, Annals " + annalsAlerts);
                }
            } catch (Exception | LinkageError e) {
                failures.put(SIDDHI, BenchFailures.describe(e));
            }
        }
        progress.printf("cep-failed-logins: peak heap %.1f MB, retained after every window ended %.3f MB%n", peakMb, retainedMb);
        return List.of(
                new CaseResult(SUITE, "cep-failed-logins", Unit.EVENTS_PER_SECOND, median(annalsRates), baselines,
                        List.of(new Target.AtLeast(5_000_000), new Target.AtLeastTimes(SIDDHI, 20),
                                new Target.AtLeastTimes(RING, 0.05)), failures),
                new CaseResult(SUITE, "cep-failed-logins-peak-heap", Unit.MEGABYTES, peakMb, new LinkedHashMap<>(), List.of()),
                new CaseResult(SUITE, "cep-heap-after-run", Unit.MEGABYTES, retainedMb, new LinkedHashMap<>(),
                        List.of(new Target.AtMost(50))));
    }

    private CaseResult absence(RegistrationWorkload workload, PrintWriter progress) {
        Runs.annalsAbsence(workload, Math.min(workload.size(), 500_000));
        var rates = new double[rounds];
        var cpuRates = new double[rounds];
        long alerts = 0;
        for (int round = 0; round < rounds; round++) {
            long cpu = threadCpu();
            long start = System.nanoTime();
            alerts = Runs.annalsAbsence(workload, workload.size());
            rates[round] = rate(workload.size(), start);
            cpuRates[round] = workload.size() / ((threadCpu() - cpu) / 1e9);
        }
        progress.printf("cep-absence: annals %,.0f events/s (%,.0f per second of its thread's CPU), %d unconfirmed registrations%n",
                median(rates), median(cpuRates), alerts);
        return new CaseResult(SUITE, "cep-absence", Unit.EVENTS_PER_SECOND, median(rates), new LinkedHashMap<>(),
                List.of(new Target.AtLeast(2_000_000)), Map.of());
    }

    private static double rate(int count, long startNanos) {
        return count / ((System.nanoTime() - startNanos) / 1e9);
    }

    /** CPU time of this thread: other work on the machine does not count in it, garbage collection neither. */
    private static long threadCpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    }

    private static void resetPeaks() {
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }
}
