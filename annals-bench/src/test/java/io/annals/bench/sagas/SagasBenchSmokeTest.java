package io.annals.bench.sagas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.bench.BenchMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** Runs the sagas suite with few timers over a short spread through the real command line; it measures nothing. */
class SagasBenchSmokeTest {

    @Test
    void printsOneJsonLinePerFigureOfTheTimersCase() throws Exception {
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = BenchMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int exitCode = commandLine.execute("sagas", "--json", "--timers", "2000", "--spread-seconds", "0.5",
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
}
