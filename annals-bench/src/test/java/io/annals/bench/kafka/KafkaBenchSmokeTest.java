package io.annals.bench.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.bench.BenchMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * Runs the Kafka suite at its smallest through the real command line, against a broker it starts
 * itself: every case and baseline runs, and the output has the documented shape. It measures nothing.
 */
class KafkaBenchSmokeTest {

    @Test
    void tinyRunPrintsEachCaseWithItsBaseline() throws Exception {
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = BenchMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int exitCode = commandLine.execute("kafka", "--json", "--events", "1000", "--latency-seconds", "3",
                "--consumer-events", "100");

        assertThat(exitCode).as(err.toString()).isZero();
        var lines = new ArrayList<JsonNode>();
        for (String line : out.toString().strip().split("\n")) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).extracting(line -> line.get("case").asText())
                .containsExactly("relay-throughput", "relay-latency-p99", "consumer-throughput");
        assertThat(lines.get(0).get("baselines").has("raw-producer")).isTrue();
        assertThat(lines.get(1).get("unit").asText()).isEqualTo("ms");
        assertThat(lines.get(2).get("baselines").has("raw-consumer")).isTrue();
        assertThat(err.toString()).contains("| relay-throughput", "raw-producer", "raw-consumer");
    }

    @Test
    void anUnknownCaseIsRefusedBeforeAnythingStarts() {
        var err = new StringWriter();
        var commandLine = BenchMain.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));

        int exitCode = commandLine.execute("kafka", "--case", "relay-speed");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("no case 'relay-speed'", "consumer-throughput");
    }
}
