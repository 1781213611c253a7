package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.server.store.StoreSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventsApiTest {

    private AnnalsNode node;
    private NodeClient client;

    @BeforeAll
    void start() {
        node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()));
        client = new NodeClient(node.baseUri());
        for (int i = 0; i < 25; i++) {
            String stream = (i % 2 == 0 ? "even-" : "odd-") + (i % 5);
            client.post("/api/streams/" + stream, "[{\"type\":\"" + (i % 3 == 0 ? "Fizz" : "Plain") + "\",\"data\":{\"i\":" + i + "}}]");
        }
    }

    @AfterAll
    void stop() {
        node.stop();
    }

    @Test
    void pagesThroughTheGlobalOrderWithNext() {
        var seen = new ArrayList<Integer>();
        String after = "";
        int pages = 0;
        while (true) {
            JsonNode page = client.get("/api/events?limit=4" + (after.isEmpty() ? "" : "&after=" + after)).json();
            if (page.get("events").isEmpty()) {
                assertThat(page.get("next").asText()).isEqualTo(after);
                break;
            }
            page.get("events").forEach(event -> seen.add(event.get("data").get("i").asInt()));
            after = page.get("next").asText();
            pages++;
        }
        assertThat(seen).containsExactlyElementsOf(range(25));
        assertThat(pages).isEqualTo(7);
    }

    @Test
    void filtersByTypeAndStreamPrefix() {
        JsonNode fizz = client.get("/api/events?types=Fizz&limit=1000").json().get("events");
        assertThat(fizz).extracting(e -> e.get("data").get("i").asInt()).containsExactly(0, 3, 6, 9, 12, 15, 18, 21, 24);

        JsonNode oddFizz = client.get("/api/events?types=Fizz,Other&streamPrefix=odd-").json().get("events");
        assertThat(oddFizz).extracting(e -> e.get("data").get("i").asInt()).containsExactly(3, 9, 15, 21);
    }

    @Test
    void theFirstPageStartsAtTheBeginningAndNextIsTheLastPosition() {
        JsonNode page = client.get("/api/events?limit=2").json();

        assertThat(page.get("events").get(0).get("data").get("i").asInt()).isZero();
        assertThat(page.get("next").asText()).isEqualTo(page.get("events").get(1).get("position").asText());
    }

    @Test
    void aFilteredReadAnswersHowFarItLookedNotItsLastMatch() {
        JsonNode all = client.get("/api/events?limit=1000").json();
        String head = all.get("events").get(all.get("events").size() - 1).get("position").asText();

        JsonNode none = client.get("/api/events?types=Never").json();
        assertThat(none.get("events")).isEmpty();
        assertThat(none.get("next").asText()).isEqualTo(head);

        JsonNode lastFizz = client.get("/api/events?types=Fizz&streamPrefix=odd-").json();
        assertThat(lastFizz.get("events")).hasSize(4);
        assertThat(lastFizz.get("next").asText()).isEqualTo(head);

        JsonNode fullPage = client.get("/api/events?types=Fizz&limit=2").json();
        assertThat(fullPage.get("next").asText()).isEqualTo(fullPage.get("events").get(1).get("position").asText());
    }

    @Test
    void aPositionPastTheEndOfTheLogReadsNothingYet() {
        for (String far : List.of("7fffffffffffffff7fffffffffffffff", "00000000000000000000000000001000")) {
            var page = client.get("/api/events?after=" + far);
            assertThat(page.status()).as(far + ": " + page.body()).isEqualTo(200);
            assertThat(page.json().get("events")).isEmpty();
            assertThat(page.json().get("next").asText()).isEqualTo(far);
        }
    }

    private static List<Integer> range(int n) {
        var list = new ArrayList<Integer>();
        for (int i = 0; i < n; i++) {
            list.add(i);
        }
        return list;
    }
}
