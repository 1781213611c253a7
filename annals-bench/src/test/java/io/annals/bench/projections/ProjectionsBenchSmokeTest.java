package io.annals.bench.projections;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.bench.BenchMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * Runs the projections suite with a few events and a short window through the real command line
 * on SQLite and checks what it prints. It measures nothing; such short runs mean nothing.
 */
class ProjectionsBenchSmokeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sqliteRunPrintsOneJsonLinePerCaseWithItsBaseline() throws Exception {
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = BenchMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute("projections", "--store", "sqlite", "--json", "--events", "2000",
                "--rate", "100", "--seconds", "0.5", "--warmup-seconds", "0.1");

        assertThat(exitCode).as(err.toString()).isZero();
        var lines = new ArrayList<JsonNode>();
        for (String line : out.toString().strip().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).extracting(line -> line.get("case").asText())
                .containsExactly("catch-up-sqlite", "end-to-end-latency-p99-sqlite");
        assertThat(lines.get(0).get("unit").asText()).isEqualTo("events/s");
        assertThat(lines.get(0).get("baselines").get("raw-jdbc").isNumber()).isTrue();
        assertThat(lines.get(1).get("unit").asText()).isEqualTo("ms");
        assertThat(lines.get(1).get("baselines").get("subscription").isNumber()).isTrue();
        assertThat(err.toString()).contains(">= 0.5x raw-jdbc", "<= 25.000 ms");
    }

    @Test
    void aCaseOfTheOtherStoreIsRefused() {
        var err = new StringWriter();
        var commandLine = BenchMain.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute("projections", "--store", "sqlite", "--case", "catch-up-postgres");
        assertThat(exitCode).isNotZero();
        assertThat(err.toString()).contains("unknown case 'catch-up-postgres'");
    }
}
