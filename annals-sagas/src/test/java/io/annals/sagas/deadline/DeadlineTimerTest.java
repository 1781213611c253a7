package io.annals.sagas.deadline;

import io.annals.event.StreamId;
import io.annals.property.Property;
import io.annals.store.ExpectedVersion;
import io.annals.store.inmemory.InMemoryEventStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DeadlineTimerTest {

    private static final StreamId OWNER = StreamId.of("pm-test-1");

    /** Fires the deadlines that are not cancelled, earliest first, whether set before or after the timer started. */
    @Test
    void firesPendingDeadlinesInDueOrderAndNeverCancelledOnes() {
        Property.check(4, draw -> {
            try (var store = new InMemoryEventStore()) {
                Instant base = Instant.now().plusMillis(100);
                int count = draw.intBetween(1, 8);
                var offsets = new HashSet<Integer>();
                while (offsets.size() < count) {
                    offsets.add(draw.intBetween(0, 30) * 10);
                }
                var deadlines = new ArrayList<Deadline>();
                var cancelled = new HashSet<UUID>();
                int i = 0;
                for (int offset : offsets) {
                    deadlines.add(new Deadline(UUID.randomUUID(), "d" + i++, base.plusMillis(offset), "Tick", "{}"));
                }
                List<Deadline> before = deadlines.subList(0, count / 2);
                List<Deadline> after = deadlines.subList(count / 2, count);
                append(store, before, cancelled, draw.percent(30));
                var fired = new CopyOnWriteArrayList<Deadline>();
                try (var timer = new DeadlineTimer(store, "pm-test-", Clock.systemUTC(), due -> fired.add(due.deadline())).start()) {
                    append(store, after, cancelled, draw.percent(30));
                    List<Deadline> expected = deadlines.stream().filter(d -> !cancelled.contains(d.deadlineId()))
                            .sorted(Comparator.comparing(Deadline::dueAt)).toList();
                    await().atMost(Duration.ofSeconds(10)).until(() -> fired.size() >= expected.size());
                    assertThat(fired).containsExactlyElementsOf(expected);
                    assertThat(fired).allSatisfy(d -> assertThat(d.dueAt()).isBeforeOrEqualTo(Instant.now()));
                }
            }
        });
    }

    private static void append(InMemoryEventStore store, List<Deadline> deadlines, Set<UUID> cancelled, boolean cancelFirst) {
        for (Deadline deadline : deadlines) {
            store.append(OWNER, ExpectedVersion.any(), List.of(deadline.scheduled()));
        }
        if (cancelFirst && !deadlines.isEmpty()) {
            Deadline first = deadlines.getFirst();
            store.append(OWNER, ExpectedVersion.any(), List.of(new Deadline.Ref(first.deadlineId(), first.name()).cancelled(UUID.randomUUID())));
            cancelled.add(first.deadlineId());
        }
    }

    @Test
    void aDeadlineWhoseOwnerCouldNotTakeItIsHandedOverAgain() {
        try (var store = new InMemoryEventStore()) {
            var deadline = new Deadline(UUID.randomUUID(), "retry", Instant.now(), "Tick", "{}");
            store.append(OWNER, ExpectedVersion.any(), List.of(deadline.scheduled()));
            var calls = new CopyOnWriteArrayList<Instant>();
            try (var timer = new DeadlineTimer(store, "pm-", Clock.systemUTC(), due -> {
                calls.add(Instant.now());
                if (calls.size() == 1) {
                    throw new IllegalStateException("store unavailable");
                }
                store.append(due.owner(), ExpectedVersion.any(), List.of(
                        new Deadline.Ref(due.deadline().deadlineId(), due.deadline().name()).fired(UUID.randomUUID())));
            }).start()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> calls.size() == 2 && timer.pending() == 0);
            }
            assertThat(Duration.between(calls.get(0), calls.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
    }
}
