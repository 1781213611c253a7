package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.server.store.StoreSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OpenApiCoverageTest {

    static List<List<String>> moduleSets() {
        return List.of(List.of("store-api"), List.of("store-api", "cep"), List.of("cep"), List.of("store-api", "cep", "projections"),
                List.of("projections"), List.of("store-api", "dashboard"), List.of("dashboard"));
    }

    private static NodeConfig config(List<String> modules) {
        return NodeConfig.ephemeral(new StoreSettings.InMemory()).withModules(modules)
                .withSettings(java.util.Map.of("cep.patterns", "PATTERN Thrice: UserLoginFailed{3} WITHIN 5m PARTITION BY userId"));
    }

    @Test
    void theUserExampleRoutesAreDescribedWithTheirRoles(@TempDir Path directory) {
        var config = NodeConfig.ephemeral(new StoreSettings.Sqlite(directory));
        try (var node = Examples.start(config)) {
            assertDescribedExactly(node, Examples.withExamples(config).modules());
        }
    }

    @ParameterizedTest
    @MethodSource("moduleSets")
    void everyRouteTheNodeServesIsDescribedWithItsRoleAndEveryDescribedRouteIsServed(List<String> modules) {
        try (var node = AnnalsNode.start(config(modules))) {
            assertDescribedExactly(node, modules);
        }
    }

    private static void assertDescribedExactly(AnnalsNode node, List<String> modules) {
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

        assertThat(served).hasSizeGreaterThanOrEqualTo(modules.contains("store-api") ? 8 : 3);
        assertThat(described).containsExactlyInAnyOrderElementsOf(served);
    }

    @ParameterizedTest
    @MethodSource("moduleSets")
    void everyOperationDocumentsItsResponsesAndEveryReferenceResolves(List<String> modules) {
        try (var node = AnnalsNode.start(config(modules))) {
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
