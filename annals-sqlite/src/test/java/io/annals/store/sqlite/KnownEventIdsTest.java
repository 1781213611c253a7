package io.annals.store.sqlite;

import io.annals.event.StreamId;
import io.annals.property.Property;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class KnownEventIdsTest {

    /** Completeness is what correctness rests on: an id that was added is never reported absent. */
    @Test
    void everyAddedIdMayBeContainedThroughAnyNumberOfResizes() {
        Property.check(50, draw -> {
            int count = draw.intBetween(0, 5_000);
            var random = new Random(draw.anyLong());
            var set = new FingerprintSet(1);
            var added = new ArrayList<UUID>();
            for (int i = 0; i < count; i++) {
                var id = new UUID(random.nextLong(), random.nextLong());
                set.add(id);
                added.add(id);
            }
            assertThat(added).allMatch(set::mayContain);
            assertThat(set.size()).isLessThanOrEqualTo(count);
        });
    }

    @Test
    void idsThatWereNeverAddedAreAlmostAlwaysReportedAbsent() {
        var set = new FingerprintSet(16);
        for (int i = 0; i < 10_000; i++) {
            set.add(UUID.randomUUID());
        }
        long falsePositives = 0;
        for (int i = 0; i < 10_000; i++) {
            if (set.mayContain(UUID.randomUUID())) {
                falsePositives++;
            }
        }
        assertThat(falsePositives).isZero(); // 64-bit fingerprints: a clash is a one in 10^11 event
    }

    @Test
    void theLeastRecentlyUsedStreamsFallOutBeyondTheBudgetButNeverTheOneBeingWritten() {
        var known = new KnownEventIds(100);
        List<StreamId> streams = List.of(StreamId.of("k-1"), StreamId.of("k-2"), StreamId.of("k-3"));
        for (StreamId stream : streams) {
            known.put(stream, setOf(40));
        }
        assertThat(known.get(streams.get(0))).as("evicted: 120 > 100").isNull();
        assertThat(known.get(streams.get(1))).isNotNull();
        assertThat(known.get(streams.get(2))).isNotNull();
        assertThat(known.total()).isEqualTo(80);

        var huge = StreamId.of("k-huge");
        known.put(huge, setOf(500));
        assertThat(known.get(huge)).as("a stream larger than the budget is still kept").isNotNull();
        assertThat(known.total()).isEqualTo(500);
    }

    private static FingerprintSet setOf(int count) {
        var set = new FingerprintSet(count);
        for (int i = 0; i < count; i++) {
            set.add(UUID.randomUUID());
        }
        return set;
    }
}
