package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.server.store.StoreSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class OpenApiCoverageTest {

    @Test
    void everyRouteTheNodeServesIsDescribedWithItsRoleAndEveryDescribedRouteIsServed() {
        try (var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()))) {
            var client = new NodeClient(node.baseUri());
            var response = client.get("/openapi.json");
            assertThat(response.status()).isEqualTo(200);
            JsonNode document = response.json();
            assertThat(document.get("openapi").asText()).startsWith("3.1");

            var described = new ArrayList<String>();
            document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
                if (List.of("get", "post", "put", "patch", "delete", "head", "options").contains(operation.getKey())) {
                    described.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + " "
                            + operation.getValue().path("x-annals-role").asText("(no role)"));
                }
            }));
            List<String> served = node.routes().stream()
                    .map(route -> route.method() + " " + route.path() + " " + route.role().label()).toList();

            assertThat(served).hasSizeGreaterThanOrEqualTo(8);
            assertThat(described).containsExactlyInAnyOrderElementsOf(served);
        }
    }

    @Test
    void everyOperationDocumentsItsResponsesAndEveryReferenceResolves() {
        try (var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()))) {
            JsonNode document = new NodeClient(node.baseUri()).get("/openapi.json").json();
            document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
                if (operation.getValue().has("responses")) {
                    assertThat(operation.getValue().get("responses").size()).as(path.getKey()).isPositive();
                    assertThat(operation.getValue().get("operationId")).as(path.getKey()).isNotNull();
                }
            }));
            for (String reference : document.findValuesAsText("$ref")) {
                String[] parts = reference.substring(2).split("/");
                assertThat(document.at("/" + String.join("/", parts)).isMissingNode()).as(reference).isFalse();
            }
        }
    }
}
