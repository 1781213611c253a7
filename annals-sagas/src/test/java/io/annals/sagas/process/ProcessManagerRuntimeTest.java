package io.annals.sagas.process;

import io.annals.aggregate.CommandContext;
import io.annals.commands.CommandBus;
import io.annals.commands.CommandHandler;
import io.annals.event.Metadata;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.sagas.RetryPolicy;
import io.annals.sagas.deadline.Deadline;
import io.annals.sagas.outbox.CommandBusSender;
import io.annals.sagas.outbox.OutboxMessage;
import io.annals.sagas.outbox.OutboxRelay;
import io.annals.sagas.process.AccountGuard.LockAccount;
import io.annals.sagas.process.AccountGuard.SuspiciousUserActivityDetected;
import io.annals.sagas.process.AccountGuard.UnlockAccount;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.store.ExpectedVersion;
import io.annals.sagas.TestStores;
import io.annals.store.EventStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

abstract class ProcessManagerRuntimeTest {

    abstract TestStores.Opened open();

    /** A runtime of {@code manager} on the test's store: alone on it, unless a subclass runs it leased. */
    <S, E> ProcessManagerRuntime<S, E> runtime(EventStore on, ProcessManager<S, E> manager) {
        return new ProcessManagerRuntime<>(on, manager, Clock.systemUTC());
    }

    private final TestStores.Opened opened = open();
    private final EventStore store = opened.store();
    private final EventSerializer userEvents = new EventSerializer(new EventTypeRegistry().registerSealed(AccountGuard.Input.class));
    private final List<Object> commands = new CopyOnWriteArrayList<>();
    private final List<UUID> commandIds = new CopyOnWriteArrayList<>();
    private final List<OutboxMessage> emails = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeStore() {
        opened.close();
    }

    private CommandBus bus() {
        CommandHandler<Object> record = (command, context) -> {
            commands.add(command);
            commandIds.add(context.commandId());
            return new CommandHandler.Handled(List.of(), Optional.empty(), false);
        };
        return CommandBus.builder().handle(LockAccount.class, record::handle).handle(UnlockAccount.class, record::handle).build();
    }

    private void detect(String userId, String reason) {
        store.append(StreamId.of("user-" + userId), ExpectedVersion.any(),
                List.of(userEvents.serialize(new SuspiciousUserActivityDetected(userId, reason), Metadata.EMPTY)));
    }

    private List<RecordedEvent> instanceEvents(String userId) {
        return store.readStreamForward(StreamId.of("pm-account_guard-" + userId), 0, 1_000);
    }

    private long count(List<RecordedEvent> events, String type) {
        return events.stream().filter(event -> event.type().equals(type)).count();
    }

    @Test
    void locksTellsTheUserThroughTheOutboxRetryingItAndUnlocksWhenTheDeadlineFires() {
        var emailFailures = new AtomicInteger(2);
        try (var runtime = runtime(store, new AccountGuard(Duration.ofMillis(300))).start();
             var relay = OutboxRelay.builder(store, "main")
                     .sender(CommandBusSender.DESTINATION, new CommandBusSender(bus()))
                     .sender("email", message -> {
                         emails.add(message);
                         if (emailFailures.getAndDecrement() > 0) {
                             throw new IllegalStateException("mail server down");
                         }
                     })
                     .retry(new RetryPolicy(5, Duration.ofMillis(10), 2.0, Duration.ofMillis(50)))
                     .build().start()) {
            detect("u-1", "5 failed logins");

            await().atMost(Duration.ofSeconds(10)).until(() -> commands.size() == 2);
            assertThat(commands).containsExactly(new LockAccount("u-1", "5 failed logins"), new UnlockAccount("u-1"));
            // the email was tried three times under one message id, and its failures did not undo the lock
            assertThat(emails).hasSize(3).extracting(OutboxMessage::messageId).containsOnly(emails.getFirst().messageId());
            List<RecordedEvent> events = instanceEvents("u-1");
            assertThat(count(events, Deadline.FIRED)).isEqualTo(1);
            assertThat(runtime.instance("u-1").orElseThrow().state()).isEqualTo(new AccountGuard.State(false, 1));
            assertThat(relay.deadLetters()).isEmpty();
            await().atMost(Duration.ofSeconds(5)).until(() -> runtime.pendingDeadlines() == 0);
            assertThat(runtime.failure()).isEmpty();
        }
    }

    @Test
    void aDeadlineThatFellDueWhileTheProcessWasDownFiresOnceWhenItIsBack() {
        var guard = new AccountGuard(Duration.ofMillis(200));
        Instant due;
        try (var runtime = runtime(store, guard).start()) {
            detect("u-2", "impossible travel");
            await().atMost(Duration.ofSeconds(10)).until(() -> count(instanceEvents("u-2"), Deadline.SCHEDULED) == 1);
            // down before it is due
        }
        due = instanceEvents("u-2").stream().filter(event -> event.type().equals(Deadline.SCHEDULED))
                .map(event -> Deadline.fromScheduled(event.data()).dueAt()).findFirst().orElseThrow();
        assertThat(count(instanceEvents("u-2"), Deadline.FIRED)).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(due.plusMillis(100)));

        try (var runtime = runtime(store, guard).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> count(instanceEvents("u-2"), Deadline.FIRED) == 1);
            assertThat(runtime.instance("u-2").orElseThrow().state().locked()).isFalse();
        }
        // a third start finds nothing left to fire, and does not handle the input again (checkpoint and instance both say so)
        try (var runtime = runtime(store, guard).start()) {
            assertThat(runtime.pendingDeadlines()).isZero();
            detect("u-3", "marker");
            await().atMost(Duration.ofSeconds(10)).until(() -> !instanceEvents("u-3").isEmpty());
        }
        List<RecordedEvent> events = instanceEvents("u-2");
        assertThat(count(events, Deadline.FIRED)).isEqualTo(1);
        assertThat(count(events, ProcessManagerRuntime.HANDLED)).isEqualTo(2);
        // commands are in the outbox, UnlockAccount among them, once
        assertThat(events.stream().filter(event -> event.type().equals(OutboxMessage.RECORDED))
                .map(event -> OutboxMessage.from(event).type()).toList())
                .containsExactly(LockAccount.class.getName(), "AccountLocked", UnlockAccount.class.getName());
    }

    @Test
    void anInputSeenAgainIsRecognisedAndRecordsNothing() {
        var guard = new AccountGuard(Duration.ofHours(1));
        var checkpoints = new io.annals.sagas.StreamCheckpointStore(store);
        try (var runtime = new ProcessManagerRuntime<>(store, guard, checkpoints, Clock.systemUTC()).start()) {
            detect("u-4", "bot");
            await().atMost(Duration.ofSeconds(10)).until(() -> !instanceEvents("u-4").isEmpty());
        }
        long version = instanceEvents("u-4").getLast().version();
        // a crash before the checkpoint was saved: the input comes again from the start
        try (var runtime = new ProcessManagerRuntime<>(store, guard, new io.annals.sagas.CheckpointStore() {
            @Override
            public Optional<io.annals.event.Position> load(String consumer) {
                return Optional.empty();
            }

            @Override
            public void save(String consumer, io.annals.event.Position position) {
                checkpoints.save(consumer, position);
            }
        }, Clock.systemUTC()).start()) {
            detect("u-5", "marker");
            await().atMost(Duration.ofSeconds(10)).until(() -> !instanceEvents("u-5").isEmpty());
            assertThat(runtime.failure()).isEmpty();
        }
        assertThat(instanceEvents("u-4").getLast().version()).isEqualTo(version);
        assertThat(count(instanceEvents("u-4"), Deadline.SCHEDULED)).isEqualTo(1);
        try (var runtime = runtime(store, guard).start()) {
            assertThat(runtime.pendingDeadlines()).isEqualTo(2);
        }
    }

    @Test
    void commandsAreDispatchedUnderTheirMessageIdSoThatARepeatIsRecognised() {
        var sender = new CommandBusSender(bus());
        var message = new OutboxMessage(UUID.randomUUID(), CommandBusSender.DESTINATION, UnlockAccount.class.getName(),
                "{\"userId\":\"u-9\"}");
        sender.send(message);
        assertThat(commands).containsExactly(new UnlockAccount("u-9"));
        assertThat(commandIds).containsExactly(message.messageId());
        var unknown = new OutboxMessage(UUID.randomUUID(), CommandBusSender.DESTINATION, "java.lang.Runtime", "{}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sender.send(unknown))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no handler for java.lang.Runtime");
        assertThat(CommandContext.of(message.messageId(), "x").commandId()).isEqualTo(message.messageId());
    }
}
