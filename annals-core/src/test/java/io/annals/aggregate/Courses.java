package io.annals.aggregate;

import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.event.Tagged;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.store.EventQuery;
import io.annals.store.QueryItem;
import java.util.List;
import java.util.Set;

/** A small domain for the decider runtimes' tests: courses with a capacity, and students subscribing. */
final class Courses {

    private Courses() {
    }

    sealed interface CourseCommand {
        record Define(String courseId, int capacity) implements CourseCommand {
        }

        record Subscribe(String courseId, String studentId) implements CourseCommand {
        }
    }

    sealed interface CourseEvent extends Tagged {
        String courseId();

        record Defined(String courseId, int capacity) implements CourseEvent {
            @Override
            public Set<Tag> tags() {
                return Set.of(Tag.of("course", courseId));
            }
        }

        record Subscribed(String courseId, String studentId) implements CourseEvent {
            @Override
            public Set<Tag> tags() {
                return Set.of(Tag.of("course", courseId), Tag.of("student", studentId));
            }
        }
    }

    record Course(boolean defined, int capacity, List<String> students) {
        static final Course NONE = new Course(false, 0, List.of());
    }

    static EventSerializer serializer() {
        return new EventSerializer(new EventTypeRegistry().registerSealed(CourseEvent.class));
    }

    static StreamId streamOf(String courseId) {
        return StreamId.of("course", courseId);
    }

    /** Course definitions and subscriptions decided over the course's tag. */
    static class Subscriptions implements QueryDecider<CourseCommand, Course, CourseEvent> {

        @Override
        public EventQuery query(CourseCommand command) {
            String courseId = switch (command) {
                case CourseCommand.Define define -> define.courseId();
                case CourseCommand.Subscribe subscribe -> subscribe.courseId();
            };
            return EventQuery.of(QueryItem.of(List.of("Defined", "Subscribed"), List.of(Tag.of("course", courseId))));
        }

        @Override
        public StreamId streamOf(CourseEvent event) {
            return switch (event) {
                case CourseEvent.Defined defined -> Courses.streamOf(defined.courseId());
                case CourseEvent.Subscribed subscribed -> StreamId.of("student", subscribed.studentId());
            };
        }

        @Override
        public Course initialState() {
            return Course.NONE;
        }

        @Override
        public List<CourseEvent> decide(CourseCommand command, Course state) {
            return switch (command) {
                case CourseCommand.Define define -> {
                    if (state.defined()) {
                        throw new DomainException("course-exists", "course " + define.courseId() + " exists");
                    }
                    yield List.of(new CourseEvent.Defined(define.courseId(), define.capacity()));
                }
                case CourseCommand.Subscribe subscribe -> {
                    if (!state.defined()) {
                        throw new DomainException("no-course", "no course " + subscribe.courseId());
                    }
                    if (state.students().contains(subscribe.studentId())) {
                        yield List.of();
                    }
                    if (state.students().size() >= state.capacity()) {
                        throw new DomainException("course-full", "course " + subscribe.courseId() + " is full");
                    }
                    yield List.of(new CourseEvent.Subscribed(subscribe.courseId(), subscribe.studentId()));
                }
            };
        }

        @Override
        public Course evolve(Course state, CourseEvent event) {
            return switch (event) {
                case CourseEvent.Defined defined -> new Course(true, defined.capacity(), List.of());
                case CourseEvent.Subscribed subscribed -> {
                    var students = new java.util.ArrayList<>(state.students());
                    students.add(subscribed.studentId());
                    yield new Course(state.defined(), state.capacity(), List.copyOf(students));
                }
            };
        }
    }
}
