package io.annals.server;

import static io.annals.server.NodeClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.server.http.ApiKeys;
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
    void theUserApiNeedsTheUserKeyAndItsOperationsTheAdminKey(@TempDir Path keyed) {
        var config = NodeConfig.ephemeral(new StoreSettings.Sqlite(keyed)).withKeys(ApiKeys.of("user-secret", "admin-secret"));
        try (var node = Examples.start(config)) {
            var anonymous = new NodeClient(node.baseUri());
            var user = anonymous.withKey("user-secret");
            var admin = anonymous.withKey("admin-secret");
            assertProblem(anonymous.get("/api/users"), 401);
            assertProblem(anonymous.post("/api/users", "{\"email\":\"ada@example.com\",\"name\":\"Ada\"}"), 401);
            assertThat(user.post("/api/users", "{\"email\":\"ada@example.com\",\"name\":\"Ada\"}").status()).isEqualTo(201);
            assertThat(user.get("/api/users").status()).isEqualTo(200);
            assertThat(user.get("/api/alerts").status()).isEqualTo(200);
            assertProblem(user.get("/api/sagas"), 403);
            assertProblem(user.get("/api/projections"), 403);
            assertThat(admin.get("/api/sagas").status()).isEqualTo(200);
            assertThat(admin.get("/api/projections").json().get("projections")).extracting(p -> p.get("name").asText())
                    .containsExactly("user-directory");
        }
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
