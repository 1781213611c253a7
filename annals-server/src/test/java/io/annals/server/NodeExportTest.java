package io.annals.server;

import static io.annals.server.NodeClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.server.http.ApiKeys;
import io.annals.server.store.EventStores;
import io.annals.server.store.StoreSettings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running SQLite node, which holds its directory's lock, is backed up through the node (issue 12, item 15). */
class NodeExportTest {

    @Test
    void theAdminExportsTheRunningStoreAsTheCommandWouldAndNoOneElseMay(@TempDir Path directory) throws Exception {
        var config = NodeConfig.ephemeral(new StoreSettings.Sqlite(directory)).withKeys(ApiKeys.of("user-secret", "admin-secret"));
        try (var node = AnnalsNode.start(config)) {
            var admin = new NodeClient(node.baseUri(), "admin-secret");
            admin.post("/api/streams/kept-1", "[{\"type\":\"A\",\"data\":{\"n\":1}},{\"type\":\"B\",\"data\":[]}]");
            admin.post("/api/streams/gone-1", "[{\"type\":\"C\",\"data\":{}}]");
            assertThat(admin.delete("/api/streams/gone-1").status()).isEqualTo(204);

            var exported = admin.get("/api/export");
            assertThat(exported.status()).isEqualTo(200);
            assertThat(exported.contentType()).startsWith("application/x-ndjson");
            var direct = new ByteArrayOutputStream();
            EventStores.transferFor(node.store()).exportJsonLines(direct);
            assertThat(exported.body()).isEqualTo(direct.toString(StandardCharsets.UTF_8));
            assertThat(exported.body().lines()).hasSize(4);

            assertProblem(new NodeClient(node.baseUri(), "user-secret").get("/api/export"), 403);
            assertProblem(new NodeClient(node.baseUri()).get("/api/export"), 401);
        }
    }
}
