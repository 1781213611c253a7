package io.annals.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.property.Property;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void timeOrderedIdsSortByTheirMillisecond() {
        Property.check(1_000, draw -> {
            long earlier = draw.longBetween(0, 1L << 47);
            long gap = draw.longBetween(1, 1_000_000);
            UUID first = EventIds.timeOrdered(Clock.fixed(Instant.ofEpochMilli(earlier), ZoneOffset.UTC));
            UUID second = EventIds.timeOrdered(Clock.fixed(Instant.ofEpochMilli(earlier + gap), ZoneOffset.UTC));
            assertThat(first.version()).isEqualTo(7);
            assertThat(first.variant()).isEqualTo(2);
            assertThat(Long.compareUnsigned(first.getMostSignificantBits(), second.getMostSignificantBits())).isNegative();
            assertThat(first.getMostSignificantBits() >>> 16).isEqualTo(earlier);
        });
    }

    @Test
    void timeOrderedIdsAreUnique() {
        var seen = new HashSet<UUID>();
        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add(EventIds.timeOrdered())).isTrue();
        }
    }

    @Test
    void derivedIdsAreDeterministicDistinctAndKeepTheTimePrefix() {
        UUID command = EventIds.timeOrdered();
        assertThat(EventIds.derived(command, 0)).isEqualTo(EventIds.derived(command, 0));
        assertThat(EventIds.derived(command, 0)).isNotEqualTo(EventIds.derived(command, 1));
        assertThat(EventIds.derived(command, 3).getMostSignificantBits()).isEqualTo(command.getMostSignificantBits());
        assertThat(EventIds.derived(command, 3)).isNotEqualTo(command);

        UUID random = UUID.randomUUID();
        UUID derived = EventIds.derived(random, 0);
        assertThat(derived.version()).isEqualTo(8);
        assertThat(derived).isEqualTo(EventIds.derived(random, 0)).isNotEqualTo(EventIds.derived(random, 1));
    }
}
