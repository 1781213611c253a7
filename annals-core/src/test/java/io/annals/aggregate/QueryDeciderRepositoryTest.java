package io.annals.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.aggregate.Courses.Course;
import io.annals.aggregate.Courses.CourseCommand;
import io.annals.aggregate.Courses.CourseCommand.Define;
import io.annals.aggregate.Courses.CourseCommand.Subscribe;
import io.annals.aggregate.Courses.CourseEvent;
import io.annals.aggregate.Courses.CourseEvent.Subscribed;
import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.serialization.EventSerializer;
import io.annals.store.AppendConditionFailedException;
import io.annals.store.CommandRecord;
import io.annals.store.CommandRecording;
import io.annals.store.EventFilter;
import io.annals.store.EventQuery;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.inmemory.InMemoryEventStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueryDeciderRepositoryTest {

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final EventSerializer serializer = Courses.serializer();

    @AfterEach
    void close() {
        store.close();
    }

    private QueryDeciderRepository<CourseCommand, Course, CourseEvent> repository(QueryDecider<CourseCommand, Course, CourseEvent> decider) {
        return QueryDeciderRepository.builder(store, serializer, decider, CourseEvent.class).maxAttempts(3).build();
    }

    private QueryDeciderRepository<CourseCommand, Course, CourseEvent> courses() {
        return repository(new Courses.Subscriptions());
    }

    private List<RecordedEvent> all() {
        return store.readAll(Position.START, 10_000, EventFilter.ALL);
    }

    @Test
    void decidesOnTheQuerysEventsAndStoresTaggedEventsInTheirStreams() {
        var courses = courses();
        courses.handle(new Define("c1", 2));
        var context = CommandContext.newCommand();
        QueryOutcome<Course, CourseEvent> outcome = courses.handle(new Subscribe("c1", "ann"), context);

        assertThat(outcome.events()).containsExactly(new Subscribed("c1", "ann"));
        assertThat(outcome.state().students()).containsExactly("ann");
        assertThat(outcome.repeated()).isFalse();
        RecordedEvent stored = store.readStream(StreamId.of("student", "ann"), 0, ReadDirection.FORWARD, 10).getFirst();
        assertThat(stored.tags()).containsExactlyInAnyOrder(Tag.of("course", "c1"), Tag.of("student", "ann"));
        assertThat(stored.eventId()).isEqualTo(context.eventId(0));
        assertThat(stored.metadata().correlationId()).contains(context.commandId().toString());
        assertThat(stored.metadata().causationId()).contains(context.commandId().toString());
        assertThat(outcome.position()).contains(stored.position());
    }

    @Test
    void aCommandCausedByAnEventCarriesItsCorrelationAndIsCausedByIt() {
        var courses = courses();
        var root = CommandContext.newCommand();
        courses.handle(new Define("c1", 2), root);
        RecordedEvent defined = all().getFirst();

        var reaction = CommandContext.causedBy(defined);
        courses.handle(new Subscribe("c1", "ann"), reaction);

        RecordedEvent subscribed = all().getLast();
        assertThat(subscribed.metadata().correlationId()).contains(root.commandId().toString());
        assertThat(subscribed.metadata().causationId()).contains(defined.eventId().toString());
    }

    @Test
    void rejectsWhatTheFoldedEventsForbid() {
        var courses = courses();
        courses.handle(new Define("c1", 1));
        courses.handle(new Subscribe("c1", "ann"));
        assertThatThrownBy(() -> courses.handle(new Subscribe("c1", "bob")))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo("course-full"));
        assertThat(all()).hasSize(2);
    }

    @Test
    void aConditionFailureRunsTheDecisionAgainOnTheNewerEvents() {
        var decisions = new AtomicInteger();
        var racing = new Courses.Subscriptions() {
            @Override
            public List<CourseEvent> decide(CourseCommand command, Course state) {
                if (decisions.incrementAndGet() == 1) {
                    // another writer takes the last place between our read and our append
                    store.append(StreamId.of("student", "zoe"), ExpectedVersion.any(),
                            List.of(serializer.serialize(new Subscribed("c1", "zoe"), io.annals.event.Metadata.EMPTY)));
                }
                return super.decide(command, state);
            }
        };
        var courses = repository(racing);
        courses.handle(new Define("c1", 1));
        decisions.set(0);

        assertThatThrownBy(() -> courses.handle(new Subscribe("c1", "ann")))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo("course-full"));
        assertThat(decisions).hasValue(2);
        assertThat(all()).extracting(RecordedEvent::streamId).doesNotContain(StreamId.of("student", "ann"));
    }

    @Test
    void givesUpWithTheConflictAfterTheLastAttempt() {
        var decisions = new AtomicInteger();
        var alwaysRaced = new Courses.Subscriptions() {
            @Override
            public List<CourseEvent> decide(CourseCommand command, Course state) {
                decisions.incrementAndGet();
                store.append(StreamId.of("student", "s" + decisions.get()), ExpectedVersion.any(),
                        List.of(serializer.serialize(new Subscribed("c1", "s" + decisions.get()), io.annals.event.Metadata.EMPTY)));
                return super.decide(command, state);
            }
        };
        store.append(Courses.streamOf("c1"), ExpectedVersion.noStream(),
                List.of(serializer.serialize(new CourseEvent.Defined("c1", 100), io.annals.event.Metadata.EMPTY)));

        assertThatThrownBy(() -> repository(alwaysRaced).handle(new Subscribe("c1", "ann")))
                .isInstanceOf(AppendConditionFailedException.class);
        assertThat(decisions).hasValue(3);
        assertThat(all()).extracting(RecordedEvent::streamId).doesNotContain(StreamId.of("student", "ann"));
    }

    @Test
    void aCommandWhoseQueryCannotBeBuiltIsInvalidAndWritesNothing() {
        var courses = courses();
        assertThatThrownBy(() -> courses.handle(new Subscribe("bad\ncourse", "ann"), CommandContext.newCommand()))
                .isInstanceOfSatisfying(InvalidCommandException.class, e -> {
                    assertThat(e.path()).isEqualTo("query");
                    assertThat(e.reason()).contains("control characters");
                });
        var noItems = new Courses.Subscriptions() {
            @Override
            public EventQuery query(CourseCommand command) {
                return new EventQuery(List.of());
            }
        };
        assertThatThrownBy(() -> repository(noItems).handle(new Define("c1", 1)))
                .isInstanceOfSatisfying(InvalidCommandException.class,
                        e -> assertThat(e.reason()).contains("at least one item"));
        assertThat(all()).isEmpty();
    }

    @Test
    void aRepeatedCommandIdReturnsTheFirstOutcomeAndWritesNothing() {
        var courses = courses();
        courses.handle(new Define("c1", 5));
        var context = CommandContext.newCommand();
        QueryOutcome<Course, CourseEvent> first = courses.handle(new Subscribe("c1", "ann"), context);
        int stored = all().size();

        QueryOutcome<Course, CourseEvent> again = courses.handle(new Subscribe("c1", "ann"), context);

        assertThat(again.repeated()).isTrue();
        assertThat(again.events()).isEqualTo(first.events());
        assertThat(again.position()).isEqualTo(first.position());
        assertThat(all()).hasSize(stored);
    }

    @Test
    void onlyACommandWhoseIdCanComeAgainIsRecorded() {
        var courses = courses();
        courses.handle(new Define("c1", 5));
        var repeatable = CommandContext.newCommand();
        var unrepeatable = CommandContext.newUnrepeatableCommand();
        courses.handle(new Subscribe("c1", "ann"), repeatable);
        courses.handle(new Subscribe("c1", "bob"), unrepeatable);
        courses.handle(new Subscribe("c1", "cid"));

        assertThat(recorded(repeatable)).isTrue();
        assertThat(recorded(unrepeatable)).isFalse();
        assertThat(all()).hasSize(4);
    }

    /** Whether the store holds a record under the context's id: a probe's record is written only when it holds none. */
    private boolean recorded(CommandContext context) {
        var probe = new CommandRecord(context.commandId(), "probe", "{}", Instant.now());
        return store.record(probe, Optional.empty(), Instant.EPOCH) instanceof CommandRecording.AlreadyRecorded;
    }

    @Test
    void aDifferentCommandUnderAUsedIdIsRefused() {
        var courses = courses();
        courses.handle(new Define("c1", 5));
        var context = CommandContext.newCommand();
        courses.handle(new Subscribe("c1", "ann"), context);
        int stored = all().size();

        assertThatThrownBy(() -> courses.handle(new Subscribe("c1", "bob"), context))
                .isInstanceOfSatisfying(CommandIdReusedException.class,
                        e -> assertThat(e.commandId()).isEqualTo(context.commandId()));
        assertThat(all()).hasSize(stored);
    }

    @Test
    void aRecordedRejectionIsTheAnswerToItsRepeats() {
        var courses = courses();
        var context = CommandContext.newCommand();
        assertThatThrownBy(() -> courses.handle(new Subscribe("c1", "ann"), context))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo("no-course"));
        courses.handle(new Define("c1", 5));

        assertThatThrownBy(() -> courses.handle(new Subscribe("c1", "ann"), context))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.code()).isEqualTo("no-course");
                    assertThat(e.getMessage()).isEqualTo("no course c1");
                });
        assertThat(all()).hasSize(1);
    }

    @Test
    void aCommandThatChangedNothingStaysUnchangedOnItsRepeats() {
        var courses = courses();
        courses.handle(new Define("c1", 5));
        var context = CommandContext.newCommand();
        courses.handle(new Subscribe("c1", "ann"));
        assertThat(courses.handle(new Subscribe("c1", "ann"), context).events()).isEmpty();
        store.append(StreamId.of("admin", "1"), ExpectedVersion.any(), List.of(EventData.of("Unrelated", "{}")));

        QueryOutcome<Course, CourseEvent> again = courses.handle(new Subscribe("c1", "ann"), context);
        assertThat(again.repeated()).isTrue();
        assertThat(again.events()).isEmpty();
        assertThat(again.position()).isEmpty();
    }

    @Test
    void readsEveryPageOfALongQuery() {
        var courses = courses();
        courses.handle(new Define("big", 700));
        for (int i = 0; i < 600; i++) {
            courses.handle(new Subscribe("big", "s" + i));
        }
        assertThat(courses.load(new Courses.Subscriptions().query(new Define("big", 0))).state().students()).hasSize(600);
    }
}
