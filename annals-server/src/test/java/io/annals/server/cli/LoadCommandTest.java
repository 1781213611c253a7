package io.annals.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.server.AnnalsNode;
import io.annals.server.NodeConfig;
import io.annals.server.store.StoreSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code annals load} against a node in this process. */
class LoadCommandTest {

    private record Run(int code, String out, String err) {
    }

    private static Run annals(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = AnnalsCommand.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aNodeWithoutTheUserApiEndsTheRunWithTheNodesAnswer() {
        try (var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()))) {
            Run run = annals("load", "--url", node.baseUri().toString(), "--users", "3", "--rate", "50", "--duration", "2s");

            assertThat(run.code()).isEqualTo(1);
            assertThat(run.err()).contains("no user could register", "404");
            assertThat(run.out()).contains("users: 0 registered (of 3)").containsPattern("register +3 +3 +-");
        }
    }

    @Test
    void badNumbersAreUsageErrors() {
        assertThat(annals("load", "--users", "0", "--rate", "10").code()).isEqualTo(2);
        assertThat(annals("load", "--users", "10", "--rate", "0").code()).isEqualTo(2);
        assertThat(annals("load", "--users", "10", "--rate", "10", "--duration", "0s").code()).isEqualTo(2);
        Run missing = annals("load", "--rate", "10");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("--users");
    }
}
