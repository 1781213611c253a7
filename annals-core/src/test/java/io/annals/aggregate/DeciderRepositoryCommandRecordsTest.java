package io.annals.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.aggregate.Courses.Course;
import io.annals.aggregate.Courses.CourseCommand;
import io.annals.aggregate.Courses.CourseCommand.Define;
import io.annals.aggregate.Courses.CourseCommand.Subscribe;
import io.annals.aggregate.Courses.CourseEvent;
import io.annals.event.Position;
import io.annals.event.StreamId;
import io.annals.store.EventFilter;
import io.annals.store.inmemory.InMemoryEventStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 12, item 2: a command id names one command; its repeat returns what was recorded. */
class DeciderRepositoryCommandRecordsTest {

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final StreamId course = Courses.streamOf("c1");
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));

    @AfterEach
    void close() {
        store.close();
    }

    private DeciderRepository<CourseCommand, Course, CourseEvent> repository() {
        return DeciderRepository.builder(store, Courses.serializer(), new Courses.Subscriptions(), CourseEvent.class)
                .clock(clock).commandRetention(Duration.ofHours(1)).build();
    }

    private int stored() {
        return store.readAll(Position.START, 1000, EventFilter.ALL).size();
    }

    @Test
    void aRepeatReturnsTheRecordedOutcomeAndWritesNothing() {
        var courses = repository();
        courses.handle(course, new Define("c1", 3));
        var context = CommandContext.newCommand();
        CommandOutcome<Course, CourseEvent> first = courses.handle(course, new Subscribe("c1", "ann"), context);

        CommandOutcome<Course, CourseEvent> again = repository().handle(course, new Subscribe("c1", "ann"), context);

        assertThat(again.repeated()).isTrue();
        assertThat(again.events()).isEqualTo(first.events());
        assertThat(again.position()).isEqualTo(first.position());
        assertThat(again.version()).isEqualTo(first.version());
        assertThat(stored()).isEqualTo(2);
    }

    @Test
    void aDifferentCommandUnderAUsedIdIsRefusedInsteadOfAnsweredWithUnstoredEvents() {
        var courses = repository();
        courses.handle(course, new Define("c1", 3));
        var context = CommandContext.newCommand();
        courses.handle(course, new Subscribe("c1", "ann"), context);

        assertThatThrownBy(() -> courses.handle(course, new Subscribe("c1", "bob"), context))
                .isInstanceOf(CommandIdReusedException.class)
                .hasMessageContaining("different command");
        assertThat(stored()).isEqualTo(2);
        assertThat(courses.load(course).state().students()).containsExactly("ann");
    }

    @Test
    void aRejectionIsRecordedAndThrownAgainOnARepeat() {
        var courses = repository();
        var context = CommandContext.newCommand();
        assertThatThrownBy(() -> courses.handle(course, new Subscribe("c1", "ann"), context)).isInstanceOf(DomainException.class);
        courses.handle(course, new Define("c1", 3));

        assertThatThrownBy(() -> courses.handle(course, new Subscribe("c1", "ann"), context))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo("no-course"));
        assertThat(courses.load(course).state().students()).isEmpty();
    }

    @Test
    void anExpiredRecordNoLongerAnswersAndItsIdIsRefused() {
        var courses = repository();
        courses.handle(course, new Define("c1", 3));
        var context = CommandContext.newCommand();
        courses.handle(course, new Subscribe("c1", "ann"), context);

        clock.advance(Duration.ofHours(2));
        courses.handle(course, new Subscribe("c1", "bob"), CommandContext.newCommand()); // records, and expires the old
        assertThat(store.expire(clock.instant().minus(Duration.ofHours(1)))).as("already expired by the repository").isZero();

        // a different decision under the old id collides with the events it wrote
        assertThatThrownBy(() -> courses.handle(course, new Subscribe("c1", "cid"), context))
                .isInstanceOf(CommandIdReusedException.class)
                .hasMessageContaining("expired");
        assertThat(stored()).isEqualTo(3);
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
