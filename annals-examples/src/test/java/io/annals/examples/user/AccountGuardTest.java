package io.annals.examples.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.cep.store.CepProcessor;
import io.annals.event.Metadata;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.examples.user.AccountGuard.Locked;
import io.annals.examples.user.AccountGuard.State;
import io.annals.examples.user.AccountGuard.SuspiciousUserActivityDetected;
import io.annals.examples.user.AccountGuard.UnlockDue;
import io.annals.examples.user.UserCommand.LockUser;
import io.annals.examples.user.UserCommand.RegisterUser;
import io.annals.examples.user.UserCommand.UnlockUser;
import io.annals.examples.user.UserEvent.UserLoginFailed;
import io.annals.sagas.outbox.CommandBusSender;
import io.annals.sagas.outbox.OutboxMessage;
import io.annals.sagas.outbox.OutboxRelay;
import io.annals.sagas.process.ProcessManagerRuntime;
import io.annals.sagas.process.Reaction;
import io.annals.sagas.testing.ProcessManagerFixture;
import io.annals.sagas.testing.ProcessManagerFixture.ScheduledDeadline;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.store.EventFilter;
import io.annals.store.ExpectedVersion;
import io.annals.store.sqlite.SqliteEventStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The account guard: its decisions as data, and the whole chain from failed logins to the unlock on SQLite. */
class AccountGuardTest {

    @TempDir
    Path directory;

    private final ProcessManagerFixture<State, AccountGuard.Input> fixture =
            ProcessManagerFixture.of(new AccountGuard(Duration.ofMinutes(15)));

    @Test
    void suspiciousActivityLocksTellsTheUserAndUnlocksLater() {
        fixture.givenNothing()
                .when(new SuspiciousUserActivityDetected("ada", UserPatterns.SUSPICIOUS))
                .thenCommands(new LockUser("ada", "suspicious activity: SuspiciousUserActivity"))
                .thenMessages()
                .thenDeadlinesScheduled(new ScheduledDeadline("unlock", Duration.ofMinutes(15), new UnlockDue("ada")))
                .when(new Locked("ada"))
                .thenNoCommands()
                .thenMessages(new Reaction.Message(AccountGuard.NOTIFICATIONS, AccountGuard.ACCOUNT_LOCKED,
                        "{\"userId\":\"ada\",\"lockedFor\":\"PT15M\"}"))
                .whenTimeElapses(Duration.ofMinutes(15))
                .thenCommands(new UnlockUser("ada"))
                .thenState(state -> assertThat(state).isEqualTo(new State(false, 1)));
    }

    @Test
    void moreSuspiciousActivityWhileLockedPushesTheUnlockBackWithoutLockingAgain() {
        fixture.given(new SuspiciousUserActivityDetected("ada", UserPatterns.SUSPICIOUS))
                .whenTimeElapses(Duration.ofMinutes(10))
                .when(new SuspiciousUserActivityDetected("ada", UserPatterns.SUSPICIOUS))
                .thenNoCommands()
                .thenDeadlinesCancelled("unlock")
                .whenTimeElapses(Duration.ofMinutes(10))
                .thenNoCommands()
                .whenTimeElapses(Duration.ofMinutes(5))
                .thenCommands(new UnlockUser("ada"));
    }

    @Test
    void aLockTheGuardDidNotAskForIsNotAnnounced() {
        fixture.givenNothing()
                .when(new Locked("ada"))
                .thenNoCommands()
                .thenMessages();
    }

    @Test
    void aKeyThatCannotBeAUserIdIsIgnored() {
        assertThat(new AccountGuard(Duration.ofMinutes(1)).correlate(new SuspiciousUserActivityDetected("a\"b", "x"))).isEmpty();
    }

    /**
     * Three failed logins: CEP alerts, the guard locks the user through the command bus, tells them, and unlocks them.
     * The same failures of a user id never registered (appended straight to the store) alert too, but
     * their lock is refused and no one is told: the relay delivers in order, so that notice would come first.
     */
    @Test
    void threeFailedLoginsLockTheUserTellThemAndUnlockThemLater() {
        var serializer = new EventSerializer(UserModule.register(new EventTypeRegistry()));
        var notices = new CopyOnWriteArrayList<OutboxMessage>();
        try (var store = SqliteEventStore.open(directory.resolve("users.db"));
             var cep = CepProcessor.builder(store, "suspicious", UserPatterns.suspiciousActivity(Duration.ofMinutes(5)))
                     .filter(EventFilter.streamPrefix(UserModule.CATEGORY + "-")).start();
             var guard = new ProcessManagerRuntime<>(store, new AccountGuard(Duration.ofMillis(500)), Clock.systemUTC()).start();
             var relay = OutboxRelay.builder(store, "main")
                     .sender(CommandBusSender.DESTINATION, new CommandBusSender(UserCommands.bus(store, serializer)))
                     .sender(AccountGuard.NOTIFICATIONS, notices::add)
                     .build().start()) {
            Instant t0 = Instant.now();
            for (int i = 0; i < 3; i++) {
                store.append(UserModule.streamOf("ghost"), ExpectedVersion.any(),
                        List.of(serializer.serialize(new UserLoginFailed("ghost"), Metadata.EMPTY, t0.plusMillis(i))));
            }
            UserCommands.bus(store, serializer).dispatch(new RegisterUser("ada", "ada@example.com", "Ada"));
            var logins = new UserLogins(store, serializer);
            // after the registration's own time, which the pattern reads too: an earlier failure would be late
            Instant t1 = Instant.now();
            for (int i = 0; i < 3; i++) {
                logins.record("ada", false, t1.plusMillis(i));
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> types(store.readStreamForward(UserModule.streamOf("ada"), 0, 100))
                    .contains("UserUnlocked"));
            assertThat(types(store.readStreamForward(UserModule.streamOf("ada"), 0, 100))).containsExactly(
                    "UserRegistered", "UserLoginFailed", "UserLoginFailed", "UserLoginFailed", "UserLocked", "UserUnlocked");
            assertThat(notices).singleElement().satisfies(notice -> {
                assertThat(notice.type()).isEqualTo(AccountGuard.ACCOUNT_LOCKED);
                assertThat(notice.payload()).contains("\"userId\":\"ada\"");
            });
            assertThat(types(store.readStreamForward(StreamId.of("cep", "suspicious"), 0, 100))).hasSize(2);
            assertThat(cep.failure()).isEmpty();
            assertThat(guard.failure()).isEmpty();
        }
    }

    private static List<String> types(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::type).toList();
    }
}
