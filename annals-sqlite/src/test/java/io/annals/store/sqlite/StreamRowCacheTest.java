package io.annals.store.sqlite;

import io.annals.event.StreamId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamRowCacheTest {

    private static final StreamRow ROW = new StreamRow(3, -1, false);

    @Test
    void aStreamUsedInEveryGenerationStaysAndOneLeftAloneForTwoIsDropped() {
        var cache = new StreamRowCache(4);
        StreamId used = StreamId.of("used");
        StreamId idle = StreamId.of("idle");
        cache.put(used, ROW);
        cache.put(idle, ROW);
        for (int i = 0; i < 20; i++) {
            cache.put(StreamId.of("filler-" + i), ROW);
            assertThat(cache.get(used)).as("after %d fillers", i + 1).isEqualTo(ROW);
        }
        assertThat(cache.get(idle)).isNull();
    }

    @Test
    void holdsAtMostTwoGenerations() {
        var cache = new StreamRowCache(4);
        for (int i = 0; i < 100; i++) {
            cache.put(StreamId.of("s-" + i), ROW);
        }
        int remembered = 0;
        for (int i = 0; i < 100; i++) {
            if (cache.get(StreamId.of("s-" + i)) != null) {
                remembered++;
            }
        }
        assertThat(remembered).isBetween(1, 8);
        assertThat(cache.get(StreamId.of("s-99"))).isEqualTo(ROW);
    }
}
