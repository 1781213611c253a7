package io.annals.bench.kafka;

import io.annals.bench.BenchFailures;
import io.annals.bench.db.BenchDatabases;
import io.annals.bench.db.PostgresBenchDatabase;
import io.annals.bench.measure.MachineLoad;
import io.annals.bench.report.CaseResult;
import io.annals.bench.report.JsonLines;
import io.annals.bench.report.ReportTable;
import io.annals.bench.report.Target;
import io.annals.bench.report.Unit;
import io.annals.bench.store.StoreKind;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "Measures the Kafka relay against a plain idempotent producer sending the same records, its latency "
                + "at 1,000 events/s, and a consumer with a PostgreSQL inbox against a plain consumer writing the same rows "
                + "in batches.")
public final class KafkaBenchCommand implements Callable<Integer> {

    static final String SUITE = "kafka";

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap", description = "Kafka to measure on (HOST:PORT); default: a broker started in this JVM")
    String bootstrap;

    @Option(names = "--jdbc-url", description = "PostgreSQL of the consumer case; default: $" + BenchDatabases.PG_URL_VARIABLE
            + ", else an embedded PostgreSQL")
    String jdbcUrl;

    @Option(names = "--events", defaultValue = "1000000", description = "stored events relayed (default: ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--latency-seconds", defaultValue = "10", description = "length of the latency run at 1,000 events/s (default: ${DEFAULT-VALUE})")
    int latencySeconds;

    @Option(names = "--consumer-events", defaultValue = "20000", description = "records consumed (default: ${DEFAULT-VALUE})")
    int consumerEvents;

    @Option(names = "--json", description = "print one JSON object per case on stdout (the table goes to stderr)")
    boolean json;

    @Option(names = "--case", description = "run only these cases (repeatable): relay-throughput, relay-latency-p99, "
            + "consumer-throughput")
    List<String> cases = List.of();

    @Override
    public Integer call() throws Exception {
        if (events < 1000 || latencySeconds < 3 || consumerEvents < 100) {
            throw new ParameterException(spec.commandLine(),
                    "--events must be at least 1000, --latency-seconds at least 3, --consumer-events at least 100");
        }
        for (String name : cases) {
            if (!List.of("relay-throughput", "relay-latency-p99", "consumer-throughput").contains(name)) {
                throw new ParameterException(spec.commandLine(), "no case '" + name
                        + "': relay-throughput, relay-latency-p99 or consumer-throughput");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = spec.commandLine().getErr();
        var results = new ArrayList<CaseResult>();
        try (BenchBroker broker = bootstrap == null ? BenchBroker.start() : null) {
            String servers = broker == null ? bootstrap : broker.bootstrapServers();
            progress.println("annals bench kafka: " + servers + (broker == null ? "" : " (a broker in this JVM)") + "; "
                    + MachineLoad.describe());
            var runs = new KafkaRuns(servers, progress);
            if (selected("relay-throughput")) {
                results.add(guard("relay-throughput", Unit.EVENTS_PER_SECOND,
                        List.of(new Target.AtLeastTimes(KafkaRuns.RAW_PRODUCER, 0.5)), () -> runs.relayThroughput(events)));
            }
            if (selected("relay-latency-p99")) {
                results.add(guard("relay-latency-p99", Unit.MILLISECONDS, List.of(new Target.AtMost(50)),
                        () -> runs.relayLatency(latencySeconds)));
            }
            if (selected("consumer-throughput")) {
                try (var database = (PostgresBenchDatabase) BenchDatabases.open(StoreKind.POSTGRES, jdbcUrl, System.getenv(),
                        progress)) {
                    results.add(guard("consumer-throughput", Unit.EVENTS_PER_SECOND,
                            List.of(new Target.AtLeastTimes(KafkaRuns.RAW_CONSUMER, 0.5)),
                            () -> runs.consumerThroughput(database, consumerEvents)));
                }
            }
        }
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

    private boolean selected(String name) {
        return cases.isEmpty() || cases.contains(name);
    }

    /** A case's figures: Annals and its baselines, or the failure that stopped it. */
    record Figures(double annals, Map<String, Double> baselines) {
    }

    @FunctionalInterface
    interface Run {
        Figures run() throws Exception;
    }

    private static CaseResult guard(String name, Unit unit, List<Target> targets, Run run) {
        try {
            Figures figures = run.run();
            return new CaseResult(SUITE, name, unit, figures.annals(), new LinkedHashMap<>(figures.baselines()), targets);
        } catch (Exception e) {
            return new CaseResult(SUITE, name, unit, Double.NaN, new LinkedHashMap<>(), targets,
                    Map.of("annals", BenchFailures.describe(e)));
        }
    }
}
