package io.annals.sagas.testing;

import io.annals.sagas.outbox.OutboxMessage;
import io.annals.sagas.process.ProcessInstance;
import io.annals.sagas.process.ProcessInstance.Recorded;
import io.annals.sagas.process.ProcessManager;
import io.annals.sagas.process.Reaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Given/when/then tests for one instance of a {@link ProcessManager}, without a store or a clock:
 * <pre>{@code
 * ProcessManagerFixture.of(new AccountGuard(Duration.ofMinutes(15)))
 *     .given(new SuspiciousUserActivityDetected("u-1", "5 failed logins"))
 *     .whenTimeElapses(Duration.ofMinutes(15))
 *     .thenCommands(new UnlockAccount("u-1"));
 * }</pre>
 * Time starts at {@link #START} and moves only by {@link Scenario#whenTimeElapses}, which fires
 * the deadlines that fall due, in due order, each with its reaction. Failed expectations throw
 * {@link AssertionError}, so it works under any test framework.
 */
public final class ProcessManagerFixture<S, E> {

    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final ProcessManager<S, E> manager;

    private ProcessManagerFixture(ProcessManager<S, E> manager) {
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    public static <S, E> ProcessManagerFixture<S, E> of(ProcessManager<S, E> manager) {
        return new ProcessManagerFixture<>(manager);
    }

    /** Inputs the instance handled before, with their reactions (deadlines they set stay pending). */
    @SafeVarargs
    public final Scenario given(E... history) {
        var scenario = new Scenario();
        for (E event : history) {
            scenario.handle(event, Optional.empty());
        }
        scenario.effects.clear();
        return scenario;
    }

    public Scenario givenNothing() {
        return new Scenario();
    }

    /** A deadline set (or replaced) by the last "when", with when it is due relative to that moment. */
    public record ScheduledDeadline(String name, Duration dueIn, Object payload) {
    }

    public final class Scenario {
        private final ProcessInstance<S, E> instance = new ProcessInstance<>(manager);
        private final List<Recorded<E>> effects = new ArrayList<>();
        private Instant now = START;
        private Instant whenAt = START;

        private void handle(E input, Optional<UUID> firing) {
            List<Recorded<E>> decided = instance.decide(firing.orElseGet(UUID::randomUUID), input, now, firing);
            decided.forEach(instance::apply);
            effects.addAll(decided);
        }

        /** An event arrives now. */
        public Scenario when(E event) {
            effects.clear();
            whenAt = now;
            if (manager.correlate(event).isEmpty()) {
                throw new AssertionError("the process manager does not correlate " + event + " with any instance");
            }
            handle(Objects.requireNonNull(event, "event"), Optional.empty());
            return this;
        }

        /** Time moves on by {@code duration}; the deadlines due by then fire, earliest first. */
        public Scenario whenTimeElapses(Duration duration) {
            effects.clear();
            whenAt = now;
            Instant until = now.plus(duration);
            while (true) {
                Optional<Recorded.Scheduled<E>> next = instance.pending().values().stream()
                        .filter(deadline -> !deadline.dueAt().isAfter(until))
                        .min(Comparator.comparing(Recorded.Scheduled::dueAt));
                if (next.isEmpty()) {
                    break;
                }
                now = next.get().dueAt().isAfter(now) ? next.get().dueAt() : now;
                handle(next.get().payload(), Optional.of(next.get().deadlineId()));
            }
            now = until;
            return this;
        }

        public Scenario thenCommands(Object... expected) {
            List<Object> commands = effects.stream().filter(Recorded.CommandSent.class::isInstance)
                    .map(sent -> ((Recorded.CommandSent<E>) sent).command()).toList();
            return expect("commands", Arrays.asList(expected), commands);
        }

        public Scenario thenNoCommands() {
            return thenCommands();
        }

        /** The outbox messages (other than commands), compared by destination, type and payload. */
        public Scenario thenMessages(Reaction.Message... expected) {
            List<Reaction.Message> messages = effects.stream().filter(Recorded.MessageRecorded.class::isInstance)
                    .map(recorded -> {
                        OutboxMessage message = ((Recorded.MessageRecorded<E>) recorded).message();
                        return new Reaction.Message(message.destination(), message.type(), message.payload());
                    }).toList();
            return expect("outbox messages", Arrays.asList(expected), messages);
        }

        public Scenario thenDeadlinesScheduled(ScheduledDeadline... expected) {
            List<ScheduledDeadline> scheduled = effects.stream().filter(Recorded.Scheduled.class::isInstance)
                    .map(recorded -> {
                        var deadline = (Recorded.Scheduled<E>) recorded;
                        return new ScheduledDeadline(deadline.name(), Duration.between(whenAt, deadline.dueAt()), deadline.payload());
                    }).toList();
            return expect("deadlines scheduled", Arrays.asList(expected), scheduled);
        }

        public Scenario thenDeadlinesCancelled(String... names) {
            List<String> cancelled = effects.stream().filter(Recorded.Cancelled.class::isInstance)
                    .map(recorded -> ((Recorded.Cancelled<E>) recorded).name()).toList();
            return expect("deadlines cancelled", Arrays.asList(names), cancelled);
        }

        public Scenario thenDeadlinesFired(String... names) {
            List<String> fired = effects.stream().filter(Recorded.Fired.class::isInstance)
                    .map(recorded -> ((Recorded.Fired<E>) recorded).name()).toList();
            return expect("deadlines fired", Arrays.asList(names), fired);
        }

        /** Deadlines still pending, by name. */
        public Scenario thenPendingDeadlines(String... names) {
            return expect("pending deadlines", Arrays.asList(names).stream().sorted().toList(),
                    instance.pending().keySet().stream().sorted().toList());
        }

        /** Nothing recorded at all: the input was ignored (handled before, or the instance ended). */
        public Scenario thenNothing() {
            return expect("records", List.of(), effects);
        }

        public Scenario thenEnded() {
            if (!instance.ended()) {
                throw new AssertionError("expected the instance to have ended, but it goes on with state " + instance.state());
            }
            return this;
        }

        public Scenario thenState(Consumer<S> assertion) {
            assertion.accept(instance.state());
            return this;
        }

        private Scenario expect(String what, List<?> expected, List<?> actual) {
            if (!expected.equals(actual)) {
                throw new AssertionError("expected " + what + "\n  " + expected + "\nbut got\n  " + actual);
            }
            return this;
        }
    }
}
