package io.annals.bench.workload;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class BenchEventsTest {

    @Test
    void eventIdsAreDistinctVersionFourUuids() {
        var ids = new HashSet<UUID>();
        for (int i = 0; i < 100_000; i++) {
            UUID id = BenchEvents.event(i).eventId();
            assertThat(id.version()).isEqualTo(4);
            assertThat(id.variant()).isEqualTo(2);
            ids.add(id);
        }
        assertThat(ids).hasSize(100_000);
    }
}
