package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.server.store.StoreSettings;
import io.annals.store.EventFilter;
import io.annals.store.ExpectedVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Whatever the page size and filter, following {@code next} through {@code GET /api/events}
 * yields exactly the store's filtered global order: no event lost, repeated or reordered.
 */
class GlobalPagingPropertyTest {

    private static final List<String> TYPES = List.of("Opened", "Moved", "Closed");
    private static final List<String> PREFIXES = List.of("", "cart-", "cart-1", "user-", "none-");

    private AnnalsNode node;
    private NodeClient client;

    @BeforeProperty
    void start() {
        node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()));
        client = new NodeClient(node.baseUri());
        for (int i = 0; i < 40; i++) {
            String stream = (i % 3 == 0 ? "user-" : "cart-") + (i % 7);
            node.store().append(StreamId.of(stream), ExpectedVersion.any(),
                    List.of(EventData.of(TYPES.get(i % TYPES.size()), "{\"i\":" + i + "}")));
        }
    }

    @AfterProperty
    void stop() {
        node.stop();
    }

    @Property(tries = 20)
    void pagesConcatenateToTheFilteredGlobalOrder(@ForAll @IntRange(min = 2, max = 50) int pageSize,
                                                   @ForAll("typeSets") Set<String> types,
                                                   @ForAll("prefixes") String prefix) {
        List<String> expected = node.store().readAll(Position.START, 1000, new EventFilter(types, prefix)).stream()
                .map(RecordedEvent::position).map(Position::toString).toList();

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
                break;
            }
            page.get("events").forEach(event -> paged.add(event.get("position").asText()));
            after = page.get("next").asText();
        }

        assertThat(paged).containsExactlyElementsOf(expected);
    }

    @Provide
    Arbitrary<Set<String>> typeSets() {
        return Arbitraries.of(TYPES).set().ofMaxSize(2);
    }

    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.of(PREFIXES);
    }
}
