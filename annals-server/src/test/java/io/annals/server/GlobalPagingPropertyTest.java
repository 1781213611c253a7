package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.property.Property;
import io.annals.server.store.StoreSettings;
import io.annals.store.EventFilter;
import io.annals.store.ExpectedVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Whatever the page size and filter, following {@code next} through {@code GET /api/events}
 * yields exactly the store's filtered global order: no event lost, repeated or reordered.
 */
class GlobalPagingPropertyTest {

    private static final List<String> TYPES = List.of("Opened", "Moved", "Closed");
    private static final List<String> PREFIXES = List.of("", "cart-", "cart-1", "user-", "none-");

    @Test
    void pagesConcatenateToTheFilteredGlobalOrder() {
        AnnalsNode node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()));
        try {
            var client = new NodeClient(node.baseUri());
            for (int i = 0; i < 40; i++) {
                String stream = (i % 3 == 0 ? "user-" : "cart-") + (i % 7);
                node.store().append(StreamId.of(stream), ExpectedVersion.any(),
                        List.of(EventData.of(TYPES.get(i % TYPES.size()), "{\"i\":" + i + "}")));
            }
            Property.check(20, draw -> {
                int pageSize = draw.intBetween(2, 50);
                Set<String> types = draw.subsetOf(TYPES, 2);
                String prefix = draw.pick(PREFIXES);
                assertThat(pages(client, pageSize, types, prefix)).containsExactlyElementsOf(
                        node.store().readAll(Position.START, 1000, new EventFilter(types, prefix)).stream()
                                .map(RecordedEvent::position).map(Position::toString).toList());
            });
        } finally {
            node.stop();
        }
    }

    /** The positions of every event that following {@code next} page by page returns. */
    private static List<String> pages(NodeClient client, int pageSize, Set<String> types, String prefix) {
        var paged = new ArrayList<String>();
        String after = null;
        while (true) {
            String query = "/api/events?limit=" + pageSize
                    + (types.isEmpty() ? "" : "&types=" + String.join(",", types))
                    + (prefix.isEmpty() ? "" : "&streamPrefix=" + prefix)
                    + (after == null ? "" : "&after=" + after);
            var page = client.get(query).json();
            assertThat(page.get("events").size()).isLessThanOrEqualTo(pageSize);
            if (page.get("events").isEmpty()) {
                return paged;
            }
            page.get("events").forEach(event -> paged.add(event.get("position").asText()));
            after = page.get("next").asText();
        }
    }
}
