package io.annals.bench.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.bench.BenchMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the commands suite with tiny windows through the real command line on SQLite and checks
 * what it prints. It measures nothing; the numbers from such short runs mean nothing.
 */
class CommandsBenchSmokeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = BenchMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void sqliteRunPrintsOneJsonLinePerCaseWithTheUnconditionalBaselineAndTheCeilings() throws Exception {
        var run = run("commands", "--store", "sqlite", "--json", "--seconds", "0.3", "--warmup-seconds", "0.05", "--rounds", "1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        var lines = new ArrayList<JsonNode>();
        for (String line : run.out().strip().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).extracting(line -> line.get("case").asText())
                .containsExactly("conditional-append-64-clients", "register-user-64-clients", "contended-condition");
        for (JsonNode line : lines) {
            assertThat(line.get("suite").asText()).isEqualTo("commands");
            assertThat(line.get("unit").asText()).isEqualTo("events/s");
            assertThat(line.get("annals").isNumber()).as(line.toString()).isTrue();
        }
        assertThat(lines.get(0).get("baselines").get("unconditional").isNumber()).isTrue();
        assertThat(lines.get(0).get("baselines").get("tagged-unconditional").isNumber()).isTrue();
        assertThat(lines.get(0).get("baselines").get("raw-conditional").isNumber()).isTrue();
        assertThat(lines.get(1).get("baselines").get("unconditional").isNumber()).isTrue();
        assertThat(lines.get(1).get("baselines").get("raw-registration").isNumber()).isTrue();
        assertThat(lines.get(2).get("baselines").isEmpty()).isTrue();
        assertThat(lines.get(2).get("conflictsPerSecond").isNumber()).isTrue();
        assertThat(run.err()).contains("annals/unconditional", ">= 0.7x unconditional", ">= 0.4x unconditional",
                "contended-condition: ");
    }

    @Test
    void unknownCaseIsRefusedNamingTheKnownOnes() {
        var run = run("commands", "--store", "sqlite", "--case", "register-everyone");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown case 'register-everyone'", "contended-condition");
    }

    @Test
    void listsTheCommandsSuite() {
        assertThat(run("--help").out()).contains("commands");
        assertThat(List.of(run("commands", "--help").out())).singleElement().asString().contains("--store", "--rounds");
    }
}
