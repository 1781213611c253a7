package io.annals.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.aggregate.DomainException;
import io.annals.aggregate.InvalidCommandException;
import io.annals.aggregate.QueryDecider;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.event.Tagged;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.store.EventQuery;
import io.annals.store.QueryItem;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryDeciderFixtureTest {

    record Book(String show, String seat, String guest) {
    }

    sealed interface SeatEvent extends Tagged {
    }

    record Booked(String show, String seat, String guest) implements SeatEvent {
        @Override
        public Set<Tag> tags() {
            return Set.of(Tag.of("seat", show + "/" + seat), Tag.of("guest", guest));
        }
    }

    record Cancelled(String show, String seat) implements SeatEvent {
        @Override
        public Set<Tag> tags() {
            return Set.of(Tag.of("seat", show + "/" + seat));
        }
    }

    /** A seat is booked once, until the booking is cancelled. */
    static class Seats implements QueryDecider<Book, Boolean, SeatEvent> {
        @Override
        public EventQuery query(Book command) {
            return EventQuery.of(QueryItem.of(List.of("Booked", "Cancelled"), List.of(Tag.of("seat", command.show() + "/" + command.seat()))));
        }

        @Override
        public StreamId streamOf(SeatEvent event) {
            return StreamId.of("show", "x");
        }

        @Override
        public Boolean initialState() {
            return false;
        }

        @Override
        public List<SeatEvent> decide(Book command, Boolean taken) {
            if (taken) {
                throw new DomainException("seat-taken", "seat " + command.seat() + " is taken");
            }
            return List.of(new Booked(command.show(), command.seat(), command.guest()));
        }

        @Override
        public Boolean evolve(Boolean taken, SeatEvent event) {
            return event instanceof Booked;
        }
    }

    private final EventSerializer serializer = new EventSerializer(new EventTypeRegistry()
            .register(Booked.class, "Booked", 1).register(Cancelled.class, "Cancelled", 1));

    private QueryDeciderFixture<Book, Boolean, SeatEvent> fixture() {
        return QueryDeciderFixture.of(new Seats(), serializer);
    }

    @Test
    void foldsOnlyTheEventsTheQuerySelects() {
        var given = fixture().given(new Booked("s1", "A1", "ann"), new Booked("s1", "A2", "bob"), new Cancelled("s1", "A2"));

        assertThat(given.selectedBy(new Book("s1", "A2", "cid"))).containsExactly(new Booked("s1", "A2", "bob"), new Cancelled("s1", "A2"));
        given.when(new Book("s1", "A2", "cid")).thenEvents(new Booked("s1", "A2", "cid"));
        given.when(new Book("s1", "A1", "cid")).thenError(DomainException.class, e -> assertThat(e.code()).isEqualTo("seat-taken"));
    }

    @Test
    void aQueryThatMissesTheEventsTheDecisionNeedsShowsInTheTest() {
        var tooNarrow = new Seats() {
            @Override
            public EventQuery query(Book command) {
                return EventQuery.of(QueryItem.of(List.of("Booked"), List.of(Tag.of("seat", command.seat()))));
            }
        };
        var outcome = QueryDeciderFixture.of(tooNarrow, serializer).given(new Booked("s1", "A1", "ann")).when(new Book("s1", "A1", "bob"));
        assertThatThrownBy(() -> outcome.thenError(DomainException.class)).isInstanceOf(AssertionError.class);
    }

    @Test
    void aCommandWhoseQueryCannotBeBuiltIsAnInvalidCommand() {
        fixture().givenNoPriorEvents().when(new Book("s1", "A\n1", "ann"))
                .thenError(InvalidCommandException.class, e -> assertThat(e.path()).isEqualTo("query"));
    }

    @Test
    void failsLoudlyWhenTheEventsDiffer() {
        assertThatThrownBy(() -> fixture().givenNoPriorEvents().when(new Book("s1", "A1", "ann"))
                .thenEvents(new Booked("s1", "A1", "bob")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("bob");
    }
}
