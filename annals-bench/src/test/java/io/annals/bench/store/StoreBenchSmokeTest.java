package io.annals.bench.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.bench.BenchMain;
import io.annals.bench.store.cases.StoreCase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Runs every store case with tiny counts through the real command line and checks what it
 * prints: one JSON line per case in the documented shape, and the table. It measures nothing;
 * the numbers from such short runs mean nothing.
 */
class StoreBenchSmokeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TINY = {"--json", "--events", "600", "--seconds", "0.2", "--warmup-seconds", "0.05",
            "--load-repetitions", "3"};

    @Test
    void sqliteRunPrintsOneJsonLinePerCaseWithTheRawBaseline() throws Exception {
        var run = run("store", "--store", "sqlite");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> lines = jsonLines(run.out());
        assertThat(lines).extracting(line -> line.get("case").asText()).containsExactlyElementsOf(caseNames());
        for (JsonNode line : lines) {
            assertShape(line);
            Set<String> expected = switch (line.get("case").asText()) {
                case "subscription-latency-p99" -> Set.of();
                case "fan-out-50-subscriptions" -> Set.of("single-subscription");
                default -> Set.of("raw-jdbc");
            };
            assertThat(fieldNames(line.get("baselines"))).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(run.err()).contains("| case", "annals/raw-jdbc", "append-64-clients");
    }

    @Test
    void postgresRunComparesWithRawJdbcAndAxonWhereAxonHasTheOperation() throws Exception {
        var run = run("store", "--store", "postgres");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> lines = jsonLines(run.out());
        assertThat(lines).extracting(line -> line.get("case").asText()).containsExactlyElementsOf(caseNames());
        for (JsonNode line : lines) {
            assertShape(line);
            Set<String> expected = switch (line.get("case").asText()) {
                case "append-1-client", "append-64-clients", "read-all", "load-aggregate-1000" ->
                        Set.of("raw-jdbc", "axon-4.13");
                case "subscription-latency-p99" -> Set.of();
                case "fan-out-50-subscriptions" -> Set.of("single-subscription");
                default -> Set.of("raw-jdbc");
            };
            assertThat(fieldNames(line.get("baselines"))).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(run.err()).contains("annals/axon-4.13", "annals/single-subscription");
    }

    @Test
    void unknownStoreIsRefusedWithAMessageNotAStackTrace() {
        var run = run("store", "--store", "mongo");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--store").contains("mongo").doesNotContain("at io.annals");
    }

    @Test
    void unknownCaseIsRefusedNamingTheKnownOnes() {
        var run = run("store", "--store", "sqlite", "--case", "append-everything");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown case 'append-everything'", "read-all");
    }

    @Test
    void jdbcUrlThatIsNotPostgresIsRefused() {
        var run = run("store", "--store", "postgres", "--jdbc-url", "jdbc:mysql://localhost/x");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--jdbc-url must start with jdbc:postgresql:");
    }

    private static void assertShape(JsonNode line) {
        assertThat(fieldNames(line)).containsExactly("suite", "case", "unit", "annals", "baselines");
        assertThat(line.get("suite").asText()).isEqualTo("store");
        String unit = line.get("case").asText().equals("load-aggregate-1000")
                || line.get("case").asText().equals("subscription-latency-p99") ? "ms" : "events/s";
        assertThat(line.get("unit").asText()).isEqualTo(unit);
        assertThat(line.get("annals").isNumber()).as(line.toString()).isTrue();
        line.get("baselines").forEach(value -> assertThat(value.isNumber()).as(line.toString()).isTrue());
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = BenchMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        var allArgs = new ArrayList<>(List.of(args));
        if (!List.of(args).contains("--case") && !List.of(args).contains("mongo") && !List.of(args).contains("--jdbc-url")) {
            allArgs.addAll(List.of(TINY));
        }
        int exitCode = commandLine.execute(allArgs.toArray(String[]::new));
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static List<JsonNode> jsonLines(String out) throws Exception {
        var lines = new ArrayList<JsonNode>();
        for (String line : out.strip().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private static List<String> fieldNames(JsonNode node) {
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> caseNames() {
        return StoreSuite.cases().stream().map(StoreCase::name).toList();
    }
}
