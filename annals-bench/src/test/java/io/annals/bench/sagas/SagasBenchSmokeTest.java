package io.annals.bench.sagas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.bench.BenchMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** Runs the sagas suite's cases, small and short, through the real command line; it measures nothing. */
class SagasBenchSmokeTest {

    @Test
    void printsOneJsonLinePerFigureOfTheTimersCase() throws Exception {
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = BenchMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int exitCode = commandLine.execute("sagas", "--json", "--case", "timers-100k", "--timers", "2000", "--spread-seconds", "0.5",
                // a lead that a loaded machine still meets: the run fails when loading outlasts it
                "--lead-seconds", "10", "--baseline-seconds", "0.2");

        assertThat(exitCode).as(err.toString()).isZero();
        var lines = new ArrayList<JsonNode>();
        for (String line : out.toString().strip().split("\n")) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).extracting(line -> line.get("case").asText()).containsExactly(
                "timers-100k-late-p99", "timers-100k-late-p50", "timers-100k-heap",
                "timers-100k-cpu-ms-per-second-pending", "timers-100k-cpu-ms-per-second-firing");
        assertThat(lines).allSatisfy(line -> assertThat(line.get("annals").isNumber()).isTrue());
        assertThat(err.toString()).contains("timers-100k: late p50");
    }

    @Test
    void sagaThroughputPrintsSagasPerSecondBesideAppend64ClientsOfTheSameRun() throws Exception {
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = BenchMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int exitCode = commandLine.execute("sagas", "--json", "--case", "saga-throughput", "--store", "sqlite",
                "--seconds", "0.5", "--warmup-seconds", "0.2", "--rounds", "1");

        assertThat(exitCode).as(err.toString()).isZero();
        JsonNode line = new ObjectMapper().readTree(out.toString().strip());
        assertThat(line.get("case").asText()).isEqualTo("saga-throughput");
        assertThat(line.get("unit").asText()).isEqualTo("sagas/s");
        assertThat(line.get("annals").asLong()).isPositive();
        assertThat(line.get("baselines").get("append-64-clients").asLong()).isPositive();
        assertThat(err.toString()).contains("[saga-throughput] annals: ").contains(">= 0.1x append-64-clients");
    }
}
