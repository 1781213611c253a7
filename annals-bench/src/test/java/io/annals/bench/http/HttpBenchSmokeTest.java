package io.annals.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.bench.BenchMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the HTTP suite briefly on SQLite through the command line and checks the lines it prints. */
class HttpBenchSmokeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sqliteRunReportsAppendsAgainstTheNoOpServerAndStoreDirectAndTheUserApiAgainstAppendsAndRawUsersWithTheirP99s() throws Exception {
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = BenchMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int exitCode = commandLine.execute("http", "--store", "sqlite", "--clients", "4", "--seconds", "1.5",
                "--warmup-seconds", "1", "--json");

        assertThat(exitCode).as(err.toString()).isZero();
        var lines = new ArrayList<JsonNode>();
        for (String line : out.toString().strip().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).hasSize(4);
        JsonNode throughput = lines.get(0);
        assertThat(fieldNames(throughput)).containsExactly("suite", "case", "unit", "annals", "baselines");
        assertThat(throughput.get("suite").asText()).isEqualTo("http");
        assertThat(throughput.get("case").asText()).isEqualTo("append-4-clients-sqlite");
        assertThat(throughput.get("unit").asText()).isEqualTo("events/s");
        assertThat(throughput.get("annals").asLong()).isPositive();
        assertThat(fieldNames(throughput.get("baselines"))).containsExactly("no-op", "store-direct");
        assertThat(throughput.get("baselines").get("no-op").asLong()).isPositive();
        assertThat(throughput.get("baselines").get("store-direct").asLong()).isPositive();
        JsonNode latency = lines.get(1);
        assertThat(latency.get("case").asText()).isEqualTo("append-4-clients-sqlite-p99");
        assertThat(latency.get("unit").asText()).isEqualTo("ms");
        assertThat(latency.get("annals").asDouble()).isPositive();
        JsonNode users = lines.get(2);
        assertThat(fieldNames(users)).containsExactly("suite", "case", "unit", "annals", "baselines");
        assertThat(users.get("case").asText()).isEqualTo("users-4-clients-sqlite");
        assertThat(users.get("unit").asText()).isEqualTo("requests/s");
        assertThat(users.get("annals").asLong()).isPositive();
        assertThat(fieldNames(users.get("baselines"))).containsExactly("append", "raw-users");
        assertThat(users.get("baselines").get("append").asLong()).isEqualTo(throughput.get("annals").asLong());
        assertThat(users.get("baselines").get("raw-users").asLong()).isPositive();
        JsonNode usersLatency = lines.get(3);
        assertThat(usersLatency.get("case").asText()).isEqualTo("users-4-clients-sqlite-p99");
        assertThat(usersLatency.get("unit").asText()).isEqualTo("ms");
        assertThat(usersLatency.get("annals").asDouble()).isPositive();
        assertThat(usersLatency.get("baselines").get("append").asDouble()).isEqualTo(latency.get("annals").asDouble());
        assertThat(fieldNames(usersLatency.get("baselines"))).containsExactly("append", "raw-users");
        assertThat(usersLatency.get("baselines").get("raw-users").asDouble()).isPositive();
        assertThat(err.toString()).contains("annals/no-op", "annals/store-direct", "annals/raw-users", ">= 0.5x no-op",
                ">= 0.25x append");
    }

    private static List<String> fieldNames(JsonNode node) {
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
