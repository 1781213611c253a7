package io.annals.sagas.process;

import io.annals.cep.store.CepProcessor;
import io.annals.cep.text.PatternText;
import io.annals.commands.CommandBus;
import io.annals.commands.CommandHandler;
import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.sagas.outbox.CommandBusSender;
import io.annals.sagas.outbox.OutboxMessage;
import io.annals.sagas.outbox.OutboxRelay;
import io.annals.sagas.process.AccountGuard.LockAccount;
import io.annals.sagas.process.AccountGuard.UnlockAccount;
import io.annals.store.EventFilter;
import io.annals.store.ExpectedVersion;
import io.annals.store.sqlite.SqliteEventStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The user example's chain on one SQLite store: three failed logins make CEP write a
 * {@code SuspiciousUserActivityDetected}; the account guard locks the account through the command
 * bus, tells the user through the outbox, and unlocks the account when its deadline fires.
 */
class SuspiciousActivityEndToEndTest {

    @TempDir
    Path directory;

    @Test
    void threeFailedLoginsLockTheAccountTellTheUserAndUnlockItLater() {
        var commands = new CopyOnWriteArrayList<Object>();
        var emails = new CopyOnWriteArrayList<OutboxMessage>();
        CommandHandler<Object> record = (command, context) -> {
            commands.add(command);
            return new CommandHandler.Handled(List.of(), Optional.empty(), false);
        };
        var bus = CommandBus.builder().handle(LockAccount.class, record::handle).handle(UnlockAccount.class, record::handle).build();
        var pattern = PatternText.parseOne(
                "PATTERN SuspiciousUserActivity: UserLoginFailed{3} WITHIN 5m PARTITION BY userId SKIP PAST LAST");
        try (var store = SqliteEventStore.open(directory.resolve("users.db"));
             var cep = CepProcessor.builder(store, "suspicious", pattern).filter(EventFilter.streamPrefix("user-")).start();
             var guard = new ProcessManagerRuntime<>(store, new AccountGuard(Duration.ofMillis(500)), Clock.systemUTC()).start();
             var relay = OutboxRelay.builder(store, "main")
                     .sender(CommandBusSender.DESTINATION, new CommandBusSender(bus))
                     .sender("email", emails::add)
                     .build().start()) {
            Instant t0 = Instant.now();
            for (int i = 0; i < 3; i++) {
                store.append(StreamId.of("user-alice"), ExpectedVersion.any(), List.of(
                        EventData.of("UserLoginFailed", "{\"userId\":\"alice\"}").withOccurredAt(t0.plusSeconds(i))));
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> commands.size() == 2);
            assertThat(commands).containsExactly(new LockAccount("alice", "SuspiciousUserActivity"), new UnlockAccount("alice"));
            assertThat(emails).singleElement().satisfies(email -> {
                assertThat(email.type()).isEqualTo("AccountLocked");
                assertThat(email.payload()).isEqualTo("{\"userId\":\"alice\"}");
            });
            assertThat(guard.instance("alice").orElseThrow().state()).isEqualTo(new AccountGuard.State(false, 1));
            assertThat(cep.failure()).isEmpty();
            assertThat(guard.failure()).isEmpty();
        }
    }
}
