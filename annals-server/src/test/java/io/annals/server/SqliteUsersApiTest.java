package io.annals.server;

import static io.annals.server.NodeClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.server.store.StoreSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteUsersApiTest extends UsersApiTest {

    @TempDir
    Path directory;

    @Override
    protected StoreSettings store() {
        return new StoreSettings.Sqlite(directory.resolve("store"));
    }

    @Test
    void aNodeWithoutTheExampleServesNoUserApi(@TempDir Path bare) {
        try (var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.Sqlite(bare)))) {
            var client = new NodeClient(node.baseUri());
            assertProblem(client.get("/api/users"), 404);
            assertProblem(client.post("/api/users", "{\"email\":\"ada@example.com\",\"name\":\"Ada\"}"), 404);
            assertThat(node.routes()).noneMatch(route -> route.path().startsWith("/api/users") || route.owner().contains("users"));
        }
    }
}
