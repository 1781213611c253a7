package io.annals.sagas;

import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.sagas.SagaEvent.CompensationFailed;
import io.annals.sagas.SagaEvent.CompensationStarted;
import io.annals.sagas.SagaEvent.SagaFailed;
import io.annals.sagas.SagaEvent.SagaNeedsAttention;
import io.annals.sagas.SagaEvent.SagaResolved;
import io.annals.sagas.SagaEvent.SagaRetryRequested;
import io.annals.sagas.SagaEvent.SagaStarted;
import io.annals.sagas.SagaEvent.StepCompensated;
import io.annals.sagas.SagaEvent.StepFailed;
import io.annals.sagas.SagaEvent.StepStarted;
import io.annals.sagas.SagaEvent.StepSucceeded;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.EventStoreClosedException;
import io.annals.store.EventStoreUnavailableException;
import io.annals.store.ExpectedVersion;
import io.annals.store.WrongExpectedVersionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs orchestrated sagas, each instance event-sourced in its own stream {@code saga-<id>}.
 *
 * <p>Every step of the way is first recorded with the expected version of the instance's
 * stream, then done: an action is called only once its start is stored, and its outcome is
 * stored before the next step begins (in the same append as the next step's start). A process
 * that stops at any point resumes from the stream ({@link #resumeAll()}); a try that may have
 * run is repeated only as a retry ({@link StepCall#isRetry()}). One engine drives an instance on
 * one thread at a time. Two engines never record conflicting moves (the loser's append fails on
 * the expected version and it reloads), and a try another engine started is left to it until
 * its lease ends ({@link Builder#nodeId}).
 */
public final class SagaEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SagaEngine.class);
    private static final String STREAM_PREFIX = "saga-";
    private static final int PAGE = 1_000;
    private static final int MAX_ERROR_LENGTH = 2_000;
    private static final Duration STORE_RETRY = Duration.ofMillis(200);

    private final EventStore store;
    private final Clock clock;
    private final String nodeId;
    private final Duration leaseMargin;
    private final Map<String, SagaDefinition<?>> definitions;
    private final EventSerializer serializer;
    private final ExecutorService drivers = Executors.newVirtualThreadPerTaskExecutor();
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<String> driving = ConcurrentHashMap.newKeySet();
    private final Set<String> wakeUps = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Map<String, SagaStatus> statuses = new ConcurrentHashMap<>();
    private final List<CallObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Hears of every call of an action or a compensation, for metrics. Must be quick and must not throw. */
    @FunctionalInterface
    public interface CallObserver {
        void called(String saga, String step, boolean compensation, Duration took, boolean succeeded);
    }

    private SagaEngine(EventStore store, Clock clock, Map<String, SagaDefinition<?>> definitions, String nodeId,
                       Duration leaseMargin) {
        this.store = store;
        this.clock = clock;
        this.nodeId = nodeId;
        this.leaseMargin = leaseMargin;
        this.definitions = Map.copyOf(definitions);
        this.serializer = new EventSerializer(new EventTypeRegistry().registerSealed(SagaEvent.class));
    }

    public static Builder builder(EventStore store) {
        return new Builder(store);
    }

    /** The stream an instance is kept in. */
    public static StreamId streamOf(String sagaId) {
        Objects.requireNonNull(sagaId, "sagaId");
        String value = STREAM_PREFIX + sagaId;
        if (!StreamId.isValid(value)) {
            throw new IllegalArgumentException("saga id must be ASCII letters, digits and - _ . : @, at most "
                    + (StreamId.MAX_LENGTH - STREAM_PREFIX.length()) + " characters, got '" + sagaId + "'");
        }
        return StreamId.of(value);
    }

    /**
     * Starts an instance and drives it in the background. Starting an id that exists changes
     * nothing (the instance keeps its first input).
     *
     * @return whether this call started it
     */
    public <I> boolean start(SagaDefinition<I> definition, String sagaId, I input) {
        Objects.requireNonNull(input, "input");
        if (definitions.get(definition.name()) != definition) {
            throw new IllegalArgumentException("saga " + definition.name() + " is not registered with this engine");
        }
        StreamId stream = streamOf(sagaId);
        boolean started;
        try {
            store.append(stream, ExpectedVersion.noStream(),
                    List.of(toData(new SagaStarted(definition.name(), serializer.toJson(input)))));
            started = true;
        } catch (WrongExpectedVersionException exists) {
            started = false;
        }
        drive(sagaId);
        return started;
    }

    /** Drives every instance of a registered saga that is not at rest: call once after a (re)start. */
    public void resumeAll() {
        for (String sagaId : sagaIds()) {
            drive(sagaId);
        }
    }

    /** Adds an observer of calls. */
    public void observe(CallObserver observer) {
        observers.add(Objects.requireNonNull(observer, "observer"));
    }

    /**
     * How many instances are in each status, of those this engine has loaded since it was built
     * ({@link #resumeAll()} loads every one); cheap, for gauges.
     */
    public Map<SagaStatus, Long> countByStatus() {
        var counts = new java.util.EnumMap<SagaStatus, Long>(SagaStatus.class);
        for (SagaStatus status : SagaStatus.values()) {
            counts.put(status, 0L);
        }
        statuses.values().forEach(status -> counts.merge(status, 1L, Long::sum));
        return counts;
    }

    public Optional<SagaView> find(String sagaId) {
        return load(sagaId).map(loaded -> loaded.state().view());
    }

    /** Every instance in the store, optionally only those with a status (reads every saga's stream). */
    public List<SagaView> list(Optional<SagaStatus> status) {
        var views = new ArrayList<SagaView>();
        for (String sagaId : sagaIds()) {
            find(sagaId).filter(view -> status.isEmpty() || view.status() == status.get()).ifPresent(views::add);
        }
        return views;
    }

    /**
     * Tries the failed compensation of an instance that needs attention again, with a fresh set
     * of tries, then goes on compensating.
     *
     * @throws IllegalStateException when the instance does not need attention
     */
    public void retry(String sagaId, String note) {
        recordByPerson(sagaId, new SagaRetryRequested(Objects.requireNonNull(note, "note")));
        drive(sagaId);
    }

    /**
     * Marks an instance that needs attention as dealt with by a person; the engine does nothing more for it.
     *
     * @throws IllegalStateException when the instance does not need attention
     */
    public void resolve(String sagaId, String note) {
        recordByPerson(sagaId, new SagaResolved(Objects.requireNonNull(note, "note")));
    }

    private void recordByPerson(String sagaId, SagaEvent event) {
        Loaded loaded = load(sagaId).orElseThrow(() -> new IllegalArgumentException("no saga " + sagaId));
        if (loaded.state().status() != SagaStatus.NEEDS_ATTENTION) {
            throw new IllegalStateException("saga " + sagaId + " is " + loaded.state().status()
                    + "; only a saga that needs attention can be retried or resolved");
        }
        store.append(streamOf(sagaId), ExpectedVersion.exact(loaded.state().version()), List.of(toData(event)));
        load(sagaId);
    }

    /**
     * Stops driving. Calls in progress are interrupted and their outcome is not recorded, as if
     * the process had stopped: the next engine retries them as retries.
     */
    @Override
    public void close() {
        closed.countDown();
        drivers.shutdown();
        calls.shutdownNow();
        try {
            drivers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<String> sagaIds() {
        var ids = new LinkedHashSet<String>();
        var filter = new EventFilter(Set.of(typeName(SagaStarted.class)), STREAM_PREFIX);
        Position after = Position.START;
        List<RecordedEvent> page;
        while (!(page = store.readAll(after, PAGE, filter)).isEmpty()) {
            for (RecordedEvent event : page) {
                ids.add(event.streamId().value().substring(STREAM_PREFIX.length()));
            }
            after = page.getLast().position();
        }
        return List.copyOf(ids);
    }

    /** Drives an instance on a thread of its own, unless one already does; then it looks again once more. */
    private void drive(String sagaId) {
        wakeUps.add(sagaId);
        if (closed.getCount() == 0 || !driving.add(sagaId)) {
            return;
        }
        try {
            drivers.submit(() -> {
                try {
                    while (wakeUps.remove(sagaId) && closed.getCount() > 0) {
                        driveUntilAtRest(sagaId);
                    }
                } finally {
                    driving.remove(sagaId);
                    if (wakeUps.contains(sagaId) && closed.getCount() > 0) {
                        drive(sagaId);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            driving.remove(sagaId);
        }
    }

    private void driveUntilAtRest(String sagaId) {
        Optional<Loaded> loaded = Optional.empty();
        while (closed.getCount() > 0) {
            try {
                // read once, then go on with the state the appends keep; read again after anything unexpected
                if (loaded.isEmpty()) {
                    loaded = load(sagaId);
                    if (loaded.isEmpty()) {
                        return;
                    }
                }
                Loaded current = loaded.get();
                loaded = Optional.empty();
                switch (takeNextStep(sagaId, current)) {
                    case REST -> {
                        return;
                    }
                    case MOVED -> loaded = Optional.of(current);
                    case WAITED -> {
                        // another engine may have moved meanwhile
                    }
                }
            } catch (WrongExpectedVersionException moved) {
                // another engine recorded a move first: look again
                LOG.debug("saga {} moved under us: {}", sagaId, moved.getMessage());
            } catch (EventStoreClosedException | Closing stopped) {
                return;
            } catch (EventStoreUnavailableException unavailable) {
                LOG.warn("saga {}: {}; trying again in {}", sagaId, unavailable.toString(), STORE_RETRY);
                if (!pause(STORE_RETRY)) {
                    return;
                }
            } catch (RuntimeException e) {
                // a stream this engine cannot read (an unknown saga, a step its definition lacks): trying again cannot help
                LOG.error("saga {} stopped: {}", sagaId, e.toString());
                return;
            }
        }
        // closing: keep what the last call answered, if the store still takes it
        loaded.ifPresent(held -> {
            try {
                save(held);
            } catch (RuntimeException e) {
                LOG.debug("saga {}: the last outcome was not recorded while closing: {}", sagaId, e.toString());
            }
        });
    }

    private enum Taken { REST, MOVED, WAITED }

    /** Does the next thing for a loaded instance: nothing (at rest), a move (the state has it) or a wait. */
    private Taken takeNextStep(String sagaId, Loaded loaded) {
        SagaState state = loaded.state();
        return switch (state.next(clock.instant(), nodeId)) {
            case SagaState.Next.Rest rest -> {
                save(loaded);
                yield Taken.REST;
            }
            case SagaState.Next.Wait(Instant until) -> {
                save(loaded);
                yield pause(Duration.between(clock.instant(), until)) ? Taken.WAITED : Taken.REST;
            }
            case SagaState.Next.Record(List<SagaEvent> events) -> {
                record(loaded, events);
                yield Taken.MOVED;
            }
            case SagaState.Next.Run(int step, int attempt) -> {
                runAction(loaded, step, attempt);
                yield Taken.MOVED;
            }
            case SagaState.Next.Compensate(int step, int attempt) -> {
                runCompensation(loaded, step, attempt);
                yield Taken.MOVED;
            }
        };
    }

    @SuppressWarnings("unchecked")
    private <I> void runAction(Loaded loaded, int index, int attempt) {
        SagaState state = loaded.state();
        Step<I> step = (Step<I>) loaded.definition().steps().get(index);
        I input = (I) serializer.fromJson(state.input(), loaded.definition().inputType());
        record(loaded, List.of(new StepStarted(step.name(), attempt, nodeId, leaseFor(step))));
        save(loaded);
        var call = new StepCall(state.view().sagaId(), step.name(), attempt, Optional.empty(), state.results());
        Outcome outcome = call(loaded.definition().name(), step, false, () -> step.action().run(input, call));
        if (outcome.error() == null) {
            record(loaded, List.of(new StepSucceeded(step.name(), attempt, outcome.result())));
        } else if (step.retry().allowsAfter(attempt)) {
            Instant next = clock.instant().plus(step.retry().delayAfter(attempt));
            record(loaded, List.of(new StepFailed(step.name(), attempt, outcome.error(), next)));
        } else {
            record(loaded, List.of(new StepFailed(step.name(), attempt, outcome.error(), null),
                    new SagaFailed(step.name(), outcome.error())));
        }
    }

    @SuppressWarnings("unchecked")
    private <I> void runCompensation(Loaded loaded, int index, int attempt) {
        SagaState state = loaded.state();
        Step<I> step = (Step<I>) loaded.definition().steps().get(index);
        I input = (I) serializer.fromJson(state.input(), loaded.definition().inputType());
        record(loaded, List.of(new CompensationStarted(step.name(), attempt, nodeId, leaseFor(step))));
        save(loaded);
        var call = new StepCall(state.view().sagaId(), step.name(), attempt, state.result(index), state.results());
        Outcome outcome = call(loaded.definition().name(), step, true, () -> {
            step.compensation().compensate(input, call);
            return "";
        });
        int tries = state.compensationTries(index, attempt);
        if (outcome.error() == null) {
            record(loaded, List.of(new StepCompensated(step.name(), attempt)));
        } else if (step.compensationRetry().allowsAfter(tries)) {
            Instant next = clock.instant().plus(step.compensationRetry().delayAfter(tries));
            record(loaded, List.of(new CompensationFailed(step.name(), attempt, outcome.error(), next)));
        } else {
            record(loaded, List.of(new CompensationFailed(step.name(), attempt, outcome.error(), null),
                    new SagaNeedsAttention(step.name(), outcome.error())));
        }
    }

    private record Outcome(String result, String error) {
    }

    /** The engine closed while a call ran: its outcome is left unrecorded. */
    private static final class Closing extends RuntimeException {
        Closing() {
            super("the saga engine is closing", null, false, false);
        }
    }

    @FunctionalInterface
    private interface Work {
        String run() throws Exception;
    }

    /** Calls a step's action or compensation on a thread of its own, so that a try that hangs ends at its timeout. */
    private Outcome call(String saga, Step<?> step, boolean compensation, Work work) {
        long started = System.nanoTime();
        Outcome outcome = callWithTimeout(work, step.timeout());
        if (closed.getCount() == 0) {
            throw new Closing();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        for (CallObserver observer : observers) {
            observer.called(saga, step.name(), compensation, took, outcome.error() == null);
        }
        return outcome;
    }

    private Outcome callWithTimeout(Work work, Duration timeout) {
        Future<String> future;
        try {
            future = calls.submit(work::run);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            throw new Closing();
        }
        try {
            String result = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new Outcome(result == null ? "" : result, null);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Outcome(null, "timed out after " + timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return new Outcome(null, describe(cause));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new Closing();
        }
    }

    private static String describe(Throwable error) {
        String text = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }

    /** Applies moves to the state; they are appended with the next {@link #save}. */
    private void record(Loaded loaded, List<SagaEvent> events) {
        SagaState state = loaded.state();
        long version = state.version();
        for (SagaEvent event : events) {
            state.apply(event, ++version);
        }
        loaded.unsaved().addAll(events);
    }

    /**
     * Appends the unsaved moves in one append, under the version the stream had before them:
     * then the stream holds exactly what the state says, and the engine goes on without reading
     * it again. Called before every call of a step (its start must be stored first), before a
     * wait and at rest, so an outcome and the next step's start share an append.
     */
    private void save(Loaded loaded) {
        List<SagaEvent> unsaved = loaded.unsaved();
        if (unsaved.isEmpty()) {
            return;
        }
        SagaState state = loaded.state();
        store.append(streamOf(state.sagaId()), ExpectedVersion.after(state.version() - unsaved.size()),
                unsaved.stream().map(this::toData).toList());
        unsaved.clear();
        if (state.status() != null) {
            statuses.put(state.sagaId(), state.status());
        }
    }

    /** How long a try is this engine's: its timeout, and a margin for the outcome to be recorded. */
    private Instant leaseFor(Step<?> step) {
        return clock.instant().plus(step.timeout()).plus(leaseMargin);
    }

    private EventData toData(SagaEvent event) {
        return serializer.serialize(event, Metadata.EMPTY);
    }

    /**
     * An instance as this engine holds it: the state, and the moves already applied to it but
     * not yet appended ({@code unsaved}), which go with the next append.
     */
    private record Loaded(SagaDefinition<?> definition, SagaState state, List<SagaEvent> unsaved) {
    }

    private Optional<Loaded> load(String sagaId) {
        StreamId stream = streamOf(sagaId);
        List<RecordedEvent> page = store.readStreamForward(stream, 0, PAGE);
        if (page.isEmpty()) {
            return Optional.empty();
        }
        if (!(serializer.deserialize(page.getFirst()) instanceof SagaStarted started)) {
            throw new IllegalStateException("stream " + stream + " does not begin with SagaStarted");
        }
        SagaDefinition<?> definition = definitions.get(started.saga());
        if (definition == null) {
            throw new IllegalStateException("saga " + sagaId + " is a " + started.saga() + ", which this engine does not know");
        }
        var state = new SagaState(sagaId, definition);
        while (!page.isEmpty()) {
            for (RecordedEvent event : page) {
                state.apply((SagaEvent) serializer.deserialize(event), event.version());
            }
            page = page.size() < PAGE ? List.of() : store.readStreamForward(stream, page.getLast().version() + 1, PAGE);
        }
        if (state.status() != null) {
            statuses.put(sagaId, state.status());
        }
        return Optional.of(new Loaded(definition, state, new ArrayList<>()));
    }

    /** Waits, unless the engine closes first; false when it closed. */
    private boolean pause(Duration duration) {
        try {
            return !closed.await(Math.max(0, duration.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String typeName(Class<? extends SagaEvent> type) {
        return type.getSimpleName();
    }

    public static final class Builder {
        private final EventStore store;
        private Clock clock = Clock.systemUTC();
        private String nodeId = java.util.UUID.randomUUID().toString();
        private Duration leaseMargin = Duration.ofSeconds(5);
        private final Map<String, SagaDefinition<?>> definitions = new HashMap<>();

        private Builder(EventStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Names this engine in the tries it starts. Give each process its own, the same across
         * its restarts: an engine resumes its own interrupted tries at once, and another
         * engine's only once their lease has ended. Default: a random id per engine.
         */
        public Builder nodeId(String value) {
            Objects.requireNonNull(value, "nodeId");
            if (value.isBlank() || value.length() > 100) {
                throw new IllegalArgumentException("node id must be 1 to 100 non-blank characters");
            }
            this.nodeId = value;
            return this;
        }

        /** How long after a try's timeout its lease ends (default 5 s): time for its outcome to be recorded. */
        public Builder leaseMargin(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("lease margin must not be negative");
            }
            this.leaseMargin = value;
            return this;
        }

        public Builder register(SagaDefinition<?> definition) {
            if (definitions.putIfAbsent(definition.name(), definition) != null) {
                throw new IllegalArgumentException("saga " + definition.name() + " is registered twice");
            }
            return this;
        }

        public SagaEngine build() {
            return new SagaEngine(store, clock, definitions, nodeId, leaseMargin);
        }
    }
}
