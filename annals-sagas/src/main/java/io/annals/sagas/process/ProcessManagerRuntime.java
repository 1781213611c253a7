package io.annals.sagas.process;

import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.projection.Projection;
import io.annals.projection.ProjectionOptions;
import io.annals.projection.ProjectionRuntime;
import io.annals.projection.ProjectionState;
import io.annals.projection.ReadModel;
import io.annals.projection.Selection;
import io.annals.sagas.CheckpointStore;
import io.annals.sagas.StreamCheckpointStore;
import io.annals.sagas.deadline.Deadline;
import io.annals.sagas.deadline.DeadlineTimer;
import io.annals.sagas.outbox.CommandBusSender;
import io.annals.sagas.outbox.OutboxMessage;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.store.DuplicateEventException;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.Subscription;
import io.annals.store.WrongExpectedVersionException;
import io.annals.store.jdbc.JdbcEventStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Drives a {@link ProcessManager} from the store: a subscription to its input types, from a
 * checkpoint, hands each event to its instance; a {@link DeadlineTimer} hands it its due
 * deadlines. Each input is recorded in the instance's stream with everything it decided, in one
 * append under the stream's expected version, so a crash records a decision whole or not at
 * all, and an input seen again (after a crash before the checkpoint) is recognised and skipped.
 * Commands and messages are delivered by an {@link io.annals.sagas.outbox.OutboxRelay}.
 *
 * <p>Several processes on one database run it {@link #leased}: the one holding the lease does
 * the work, the others wait to take it over.
 */
public final class ProcessManagerRuntime<S, E> implements AutoCloseable {

    static final String HANDLED = "ProcessInputHandled";
    static final String ENDED = "ProcessEnded";
    private static final int PAGE = 1_000;
    private static final int BATCH = 256;
    private static final int MAX_CONFLICTS = 100;

    private record HandledData(UUID source, String type, String input) {
    }

    private final EventStore store;
    private final ProcessManager<S, E> manager;
    private final CheckpointStore checkpoints;
    private final Clock clock;
    private final EventSerializer inputs;
    private final Set<String> inputTypes = new LinkedHashSet<>();
    private final String streamPrefix;
    /** Set when the runtime shares the process manager with other processes: it follows under its lease. */
    private final ProjectionRuntime leases;
    private volatile Subscription subscription;
    private volatile DeadlineTimer timer;

    /** A runtime alone on its store: it follows the store from a checkpoint kept in a stream. */
    public ProcessManagerRuntime(EventStore store, ProcessManager<S, E> manager, Clock clock) {
        this(store, manager, new StreamCheckpointStore(store), clock);
    }

    public ProcessManagerRuntime(EventStore store, ProcessManager<S, E> manager, CheckpointStore checkpoints, Clock clock) {
        this(store, manager, Objects.requireNonNull(checkpoints, "checkpoints"), clock, null);
    }

    /**
     * A runtime that shares the process manager with runtimes of other processes on the same
     * database: the one that holds the process manager's lease (the projection runtime's,
     * {@code projection_checkpoints} row {@code pm.<name>}) handles every input and fires every
     * deadline, so no two drive an instance at once and each instance's inputs are handled in
     * the order they were recorded; when it dies another takes over within about
     * {@code lease * 1.25}, from the checkpoint that committed with the last decisions. One that
     * was paused past its lease cannot commit when it wakes: its decisions carry the lease's fence.
     *
     * @param owner how this process is named among them; unique among the processes sharing the database
     * @param lease how long the work stays with a process that stops renewing it (200 ms to 1 hour)
     */
    public static <S, E> ProcessManagerRuntime<S, E> leased(JdbcEventStore store, ProcessManager<S, E> manager, Clock clock,
                                                          String owner, Duration lease) {
        var leases = ProjectionRuntime.builder(store).owner(owner).lease(lease).build();
        return new ProcessManagerRuntime<>(store, manager, null, clock, leases);
    }

    private ProcessManagerRuntime(EventStore store, ProcessManager<S, E> manager, CheckpointStore checkpoints, Clock clock,
                                  ProjectionRuntime leases) {
        this.store = Objects.requireNonNull(store, "store");
        this.manager = Objects.requireNonNull(manager, "manager");
        this.checkpoints = checkpoints;
        this.leases = leases;
        this.clock = Objects.requireNonNull(clock, "clock");
        String name = manager.name();
        if (name == null || !name.matches("[A-Za-z0-9_.]{1,64}")) {
            throw new IllegalArgumentException("process manager name must be 1 to 64 ASCII letters, digits, _ or ., got '" + name + "'");
        }
        this.streamPrefix = "pm-" + name + "-";
        var registry = new EventTypeRegistry();
        collectTypes(manager.inputType(), registry);
        this.inputs = new EventSerializer(registry);
    }

    private void collectTypes(Class<?> type, EventTypeRegistry registry) {
        if (type.isSealed()) {
            for (Class<?> permitted : type.getPermittedSubclasses()) {
                collectTypes(permitted, registry);
            }
        } else {
            registry.register(type);
            inputTypes.add(registry.forClass(type).name());
        }
    }

    /** The process manager's name. */
    public String name() {
        return manager.name();
    }

    /** The stream of the instance for {@code correlation}. */
    public StreamId streamOf(String correlation) {
        String value = streamPrefix + Objects.requireNonNull(correlation, "correlation");
        if (!StreamId.isValid(value)) {
            throw new IllegalArgumentException("correlation '" + correlation + "' of process manager " + manager.name()
                    + " cannot name a stream: ASCII letters, digits and - _ . : @ only");
        }
        return StreamId.of(value);
    }

    /** Starts following the store from the checkpoint, and the instances' deadlines. */
    public ProcessManagerRuntime<S, E> start() {
        if (leases != null) {
            leases.register(new LeasedInputs(), ProjectionOptions.DEFAULTS.withBatchSize(BATCH));
            leases.start();
            timer = new DeadlineTimer(store, streamPrefix, clock, this::fireIfHeld).start();
            return this;
        }
        Position from = checkpoints.load(checkpointName()).orElse(Position.START);
        subscription = store.subscribeToAll(from, new EventFilter(inputTypes, ""), BATCH, this::handle);
        timer = new DeadlineTimer(store, streamPrefix, clock, this::fire).start();
        return this;
    }

    /** The instance for {@code correlation}, empty when it never handled an input. */
    public Optional<ProcessInstance<S, E>> instance(String correlation) {
        Loaded<S, E> loaded = load(streamOf(correlation));
        return loaded.version() < 0 ? Optional.empty() : Optional.of(loaded.instance());
    }

    /** Deadlines pending as far as the timer has read. */
    public int pendingDeadlines() {
        return timer == null ? 0 : timer.pending();
    }

    /** Why the runtime stopped following the store: a process manager or the store failed. */
    public Optional<Throwable> failure() {
        if (leases != null) {
            return leases.localStatus(checkpointName(), 0)
                    .filter(status -> status.state() == ProjectionState.FAILED)
                    .map(status -> new IllegalStateException("process manager " + manager.name() + " stopped: "
                            + status.lastError().orElse("failed")));
        }
        return subscription == null ? Optional.empty() : subscription.failure();
    }

    /** Whether this runtime does the process manager's work now: always when alone, else while it holds the lease. */
    public boolean leading() {
        return leases == null || leases.holds(checkpointName(), 0);
    }

    /** Stops; a leased runtime hands its lease over, so another process takes the work at once. */
    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        if (leases != null) {
            leases.close();
        }
        if (timer != null) {
            timer.close();
        }
    }

    private String checkpointName() {
        return "pm." + manager.name();
    }

    @SuppressWarnings("unchecked")
    private void handle(List<RecordedEvent> events) {
        for (RecordedEvent event : events) {
            E input = (E) inputs.deserialize(event);
            Optional<String> correlation = manager.correlate(input);
            if (correlation.isPresent()) {
                record(streamOf(correlation.get()), event.eventId(), input, Optional.empty());
            }
        }
        checkpoints.save(checkpointName(), events.getLast().position());
    }

    @SuppressWarnings("unchecked")
    private void fire(DeadlineTimer.Due due) {
        Deadline deadline = due.deadline();
        E payload = (E) inputs.deserialize(deadline.payloadType(), deadline.payload(), Metadata.EMPTY);
        record(due.owner(), deadline.deadlineId(), payload, Optional.of(deadline.deadlineId()));
    }

    private void record(StreamId stream, UUID source, E input, Optional<UUID> firing) {
        for (int conflicts = 0; ; conflicts++) {
            try {
                Loaded<S, E> loaded = load(stream);
                decideAndAppend(loaded, stream, source, input, firing, store::append);
                return;
            } catch (WrongExpectedVersionException | DuplicateEventException moved) {
                // the deadline timer and the subscription met on this instance: decide again on what is stored
                if (conflicts >= MAX_CONFLICTS) {
                    throw moved;
                }
            }
        }
    }

    private interface Appender {
        void append(StreamId stream, ExpectedVersion expected, List<EventData> events);
    }

    /** Decides on {@code input} and appends what it records; the loaded instance then includes it. */
    private Loaded<S, E> decideAndAppend(Loaded<S, E> loaded, StreamId stream, UUID source, E input, Optional<UUID> firing,
                                         Appender appender) {
        List<ProcessInstance.Recorded<E>> decided = loaded.instance().decide(source, input, clock.instant(), firing);
        if (decided.isEmpty()) {
            return loaded;
        }
        var data = new ArrayList<EventData>();
        for (int i = 0; i < decided.size(); i++) {
            data.add(toData(decided.get(i), source, i));
        }
        appender.append(stream, ExpectedVersion.after(loaded.version()), data);
        decided.forEach(loaded.instance()::apply);
        return new Loaded<>(loaded.instance(), loaded.version() + data.size());
    }

    /**
     * The inputs, as a projection without tables on the lease holder: each batch's decisions are
     * appended in the transaction that moves the fenced checkpoint. The instances a batch touched
     * are kept for the batch, as its own appends are not visible to reads until it commits.
     */
    private final class LeasedInputs implements Projection {
        @Override
        public String name() {
            return checkpointName();
        }

        @Override
        public Selection selection() {
            return new Selection(new EventFilter(inputTypes, ""), Optional.empty());
        }

        @Override
        public void apply(RecordedEvent event, ReadModel model) {
            applyBatch(List.of(event), model);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void applyBatch(List<RecordedEvent> events, ReadModel model) {
            var touched = new HashMap<StreamId, Loaded<S, E>>();
            for (RecordedEvent event : events) {
                E input = (E) inputs.deserialize(event);
                Optional<String> correlation = manager.correlate(input);
                if (correlation.isPresent()) {
                    StreamId stream = streamOf(correlation.get());
                    Loaded<S, E> loaded = touched.computeIfAbsent(stream, ProcessManagerRuntime.this::load);
                    touched.put(stream, decideAndAppend(loaded, stream, event.eventId(), input, Optional.empty(),
                            model.transaction()::append));
                }
            }
        }
    }

    /** A deadline fires on the lease holder only, fenced by its lease; another runtime hands it back to its timer. */
    @SuppressWarnings("unchecked")
    private void fireIfHeld(DeadlineTimer.Due due) {
        Deadline deadline = due.deadline();
        E payload = (E) inputs.deserialize(deadline.payloadType(), deadline.payload(), Metadata.EMPTY);
        for (int conflicts = 0; ; conflicts++) {
            try {
                Optional<Boolean> fired = leases.inLease(checkpointName(), 0, tx -> {
                    decideAndAppend(load(due.owner()), due.owner(), deadline.deadlineId(), payload,
                            Optional.of(deadline.deadlineId()), tx::append);
                    return true;
                });
                if (fired.isEmpty()) {
                    // the holder fires it, and this timer drops it when it reads the firing
                    timer.later(due);
                }
                return;
            } catch (WrongExpectedVersionException | DuplicateEventException moved) {
                // the holder's inputs and its timer met on this instance: decide again on what is stored
                if (conflicts >= MAX_CONFLICTS) {
                    throw moved;
                }
            }
        }
    }

    private EventData toData(ProcessInstance.Recorded<E> recorded, UUID source, int index) {
        UUID eventId = ProcessInstance.derive(source, -1 - index);
        return switch (recorded) {
            case ProcessInstance.Recorded.Handled<E>(UUID from, E input) -> new EventData(eventId, HANDLED,
                    inputs.toJson(new HandledData(from, typeOf(input), inputs.toJson(input))), Metadata.EMPTY, null);
            case ProcessInstance.Recorded.CommandSent<E>(UUID messageId, Object command) -> new OutboxMessage(messageId,
                    CommandBusSender.DESTINATION, command.getClass().getName(), inputs.toJson(command)).toEventData();
            case ProcessInstance.Recorded.MessageRecorded<E>(OutboxMessage message) -> message.toEventData();
            case ProcessInstance.Recorded.Scheduled<E>(UUID id, String name, java.time.Instant dueAt, E payload) ->
                    new Deadline(id, name, dueAt, typeOf(payload), inputs.toJson(payload)).scheduled();
            case ProcessInstance.Recorded.Cancelled<E>(UUID id, String name) -> new Deadline.Ref(id, name).cancelled(eventId);
            case ProcessInstance.Recorded.Fired<E>(UUID id, String name) -> new Deadline.Ref(id, name).fired(eventId);
            case ProcessInstance.Recorded.Ended<E> end -> new EventData(eventId, ENDED, "{}", Metadata.EMPTY, null);
        };
    }

    private String typeOf(E input) {
        return inputs.serialize(input, Metadata.EMPTY).type();
    }

    private record Loaded<S, E>(ProcessInstance<S, E> instance, long version) {
    }

    @SuppressWarnings("unchecked")
    private Loaded<S, E> load(StreamId stream) {
        var instance = new ProcessInstance<>(manager);
        long version = -1;
        List<RecordedEvent> page = store.readStreamForward(stream, 0, PAGE);
        while (!page.isEmpty()) {
            for (RecordedEvent event : page) {
                version = event.version();
                switch (event.type()) {
                    case HANDLED -> {
                        HandledData handled = inputs.fromJson(event.data(), HandledData.class);
                        instance.apply(new ProcessInstance.Recorded.Handled<>(handled.source(),
                                (E) inputs.deserialize(handled.type(), handled.input(), Metadata.EMPTY)));
                    }
                    case Deadline.SCHEDULED -> {
                        Deadline deadline = Deadline.fromScheduled(event.data());
                        instance.apply(new ProcessInstance.Recorded.Scheduled<>(deadline.deadlineId(), deadline.name(),
                                deadline.dueAt(), (E) inputs.deserialize(deadline.payloadType(), deadline.payload(), Metadata.EMPTY)));
                    }
                    case Deadline.CANCELLED -> {
                        Deadline.Ref ref = Deadline.refOf(event.data());
                        instance.apply(new ProcessInstance.Recorded.Cancelled<>(ref.deadlineId(), ref.name()));
                    }
                    case Deadline.FIRED -> {
                        Deadline.Ref ref = Deadline.refOf(event.data());
                        instance.apply(new ProcessInstance.Recorded.Fired<>(ref.deadlineId(), ref.name()));
                    }
                    case ENDED -> instance.apply(new ProcessInstance.Recorded.Ended<>());
                    default -> {
                        // outbox messages: the relay's business, not the state's
                    }
                }
            }
            page = page.size() < PAGE ? List.of() : store.readStreamForward(stream, version + 1, PAGE);
        }
        return new Loaded<>(instance, version);
    }
}
