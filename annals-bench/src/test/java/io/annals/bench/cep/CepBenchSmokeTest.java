package io.annals.bench.cep;

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
 * Runs the CEP suite on a few thousand events through the real command line: every comparator
 * runs and agrees on the alerts, and the output has the documented shape. It measures nothing.
 */
class CepBenchSmokeTest {

    @Test
    void tinyRunPrintsEachCaseWithItsBaselinesAndTheComparatorsAgree() throws Exception {
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = BenchMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int exitCode = commandLine.execute("cep", "--json", "--events", "5000", "--users", "20", "--rounds", "1");

        assertThat(exitCode).as(err.toString()).isZero();
        var lines = new ArrayList<JsonNode>();
        for (String line : out.toString().strip().split("\n")) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).extracting(line -> line.get("case").asText())
                .containsExactly("cep-failed-logins", "cep-failed-logins-peak-heap", "cep-heap-after-run", "cep-absence");
        JsonNode failedLogins = lines.getFirst();
        assertThat(failedLogins.get("suite").asText()).isEqualTo("cep");
        assertThat(failedLogins.get("unit").asText()).isEqualTo("events/s");
        assertThat(List.of(failedLogins.get("baselines").fieldNames().next())).containsExactly("ring-buffer");
        assertThat(failedLogins.get("baselines").has("siddhi")).isTrue();
        assertThat(lines.get(2).get("unit").asText()).isEqualTo("MB");
        assertThat(err.toString()).contains("alerts", "siddhi", "| cep-failed-logins");
    }

    @Test
    void theRingBufferAndTheEngineAgreeOnEveryWorkloadSize() {
        for (int events : new int[] {1000, 7000, 30_000}) {
            var workload = LoginWorkload.generate(events, 20, 0.3, events);
            long engine = Runs.annalsFailedLogins(workload, events, new Object[1]);
            assertThat(engine).as("%d events", events).isPositive();
            assertThat(Runs.ringBufferFailedLogins(workload, events)).as("%d events", events).isEqualTo(engine);
        }
    }
}
