package io.annals.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.event.EventData;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.store.Append;
import io.annals.store.AppendCondition;
import io.annals.store.AppendConditionFailedException;
import io.annals.store.CommandLog;
import io.annals.store.CommandRecord;
import io.annals.store.CommandRecording;
import io.annals.store.ConditionalAppender;
import io.annals.store.DuplicateEventException;
import io.annals.store.EventQuery;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.RecordedCommand;
import io.annals.store.WrongExpectedVersionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The contract of command records ({@code docs/adr/0009-idempotent-commands.md}) that every store
 * keeping them holds: a record is written in the same transaction as its command's append, a
 * repeat of the command id is answered with the first record and writes nothing, a failed append
 * leaves no record, and records expire. Extend it in the store's tests.
 */
public abstract class CommandLogContractTest<S extends EventStore & ConditionalAppender & CommandLog> extends StoreContract<S> {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant NEVER_EXPIRED = Instant.parse("2000-01-01T00:00:00Z");


    private static CommandRecord record(UUID commandId, String fingerprint, Instant at) {
        return new CommandRecord(commandId, fingerprint, "{\"outcome\":\"" + fingerprint + "\"}", at);
    }

    private static Append appendOf(StreamId stream, ExpectedVersion expected, int events) {
        var data = new ArrayList<EventData>();
        for (int i = 0; i < events; i++) {
            data.add(EventData.of("Happened", "{\"n\":" + i + "}"));
        }
        return Append.to(stream, expected, data);
    }

    private List<RecordedEvent> events(StreamId stream) {
        return store.readStream(stream, 0, ReadDirection.FORWARD, 100);
    }

    @Test
    void writesTheRecordWithItsAppendAndAnswersARepeatWithIt() {
        UUID id = UUID.randomUUID();
        StreamId stream = stream("order");
        CommandRecording first = store.record(record(id, "f1", T0), Optional.of(appendOf(stream, ExpectedVersion.noStream(), 2)), NEVER_EXPIRED);

        assertThat(first).isInstanceOf(CommandRecording.Written.class);
        assertThat(first.recorded().results()).isPresent();
        assertThat(first.recorded().results().get().streams().getFirst().nextExpectedVersion()).isEqualTo(1);
        assertThat(events(stream)).hasSize(2);

        CommandRecording repeat = store.record(record(id, "f1", T0.plusSeconds(5)),
                Optional.of(appendOf(stream, ExpectedVersion.any(), 2)), NEVER_EXPIRED);
        assertThat(repeat).isInstanceOf(CommandRecording.AlreadyRecorded.class);
        RecordedCommand earlier = repeat.recorded();
        assertThat(earlier.record()).isEqualTo(record(id, "f1", T0));
        assertThat(earlier.results()).isEqualTo(first.recorded().results());
        assertThat(events(stream)).as("a repeat writes nothing").hasSize(2);
    }

    @Test
    void keepsARecordWithoutAnAppend() {
        UUID id = UUID.randomUUID();
        CommandRecording first = store.record(record(id, "rejected", T0), Optional.empty(), NEVER_EXPIRED);
        assertThat(first).isInstanceOf(CommandRecording.Written.class);
        assertThat(first.recorded().results()).isEmpty();

        CommandRecording repeat = store.record(record(id, "other", T0), Optional.empty(), NEVER_EXPIRED);
        assertThat(repeat).isInstanceOf(CommandRecording.AlreadyRecorded.class);
        assertThat(repeat.recorded().record().fingerprint()).isEqualTo("rejected");
        assertThat(repeat.recorded().results()).isEmpty();
    }

    @Test
    void answersARepeatEvenWhenItsAppendWouldFailNow() {
        UUID id = UUID.randomUUID();
        StreamId stream = stream("user");
        store.record(record(id, "f", T0), Optional.of(appendOf(stream, ExpectedVersion.noStream(), 1)), NEVER_EXPIRED);

        CommandRecording repeat = store.record(record(id, "f", T0),
                Optional.of(appendOf(stream, ExpectedVersion.noStream(), 1)), NEVER_EXPIRED);
        assertThat(repeat).isInstanceOf(CommandRecording.AlreadyRecorded.class);
        assertThat(events(stream)).hasSize(1);
    }

    @Test
    void aRefusedAppendLeavesNoRecord() {
        UUID id = UUID.randomUUID();
        StreamId stream = stream("account");
        store.append(stream, ExpectedVersion.noStream(), List.of(EventData.of("Opened", "{}")));

        assertThatThrownBy(() -> store.record(record(id, "f", T0),
                Optional.of(appendOf(stream, ExpectedVersion.noStream(), 1)), NEVER_EXPIRED))
                .isInstanceOf(WrongExpectedVersionException.class);
        Tag tag = Tag.of("account", runId);
        store.append(Append.to(stream("other"), ExpectedVersion.any(), List.of(EventData.of("Tagged", "{}").withTags(tag))));
        assertThatThrownBy(() -> store.record(record(id, "f", T0),
                Optional.of(appendOf(stream, ExpectedVersion.after(0), 1)
                        .onlyIf(AppendCondition.noneMatching(EventQuery.tagged(tag)))), NEVER_EXPIRED))
                .isInstanceOf(AppendConditionFailedException.class);

        CommandRecording later = store.record(record(id, "f", T0),
                Optional.of(appendOf(stream, ExpectedVersion.after(0), 1)), NEVER_EXPIRED);
        assertThat(later).as("nothing of the refused attempts was kept").isInstanceOf(CommandRecording.Written.class);
        assertThat(events(stream)).hasSize(2);
    }

    @Test
    void anExpiredRecordIsReplaced() {
        UUID id = UUID.randomUUID();
        store.record(record(id, "old", T0), Optional.empty(), NEVER_EXPIRED);

        CommandRecording still = store.record(record(id, "new", T0.plusSeconds(10)), Optional.empty(), T0);
        assertThat(still).as("recorded exactly at the expiry bound: still valid").isInstanceOf(CommandRecording.AlreadyRecorded.class);

        CommandRecording replaced = store.record(record(id, "new", T0.plusSeconds(10)), Optional.empty(), T0.plusSeconds(1));
        assertThat(replaced).isInstanceOf(CommandRecording.Written.class);
        CommandRecording repeat = store.record(record(id, "third", T0.plusSeconds(20)), Optional.empty(), T0.plusSeconds(1));
        assertThat(repeat.recorded().record().fingerprint()).isEqualTo("new");
    }

    @Test
    void anAppendThatRepeatsStoredEventsIsRefusedNotTakenForARetry() {
        StreamId stream = stream("expired");
        Append append = appendOf(stream, ExpectedVersion.any(), 1);
        store.append(append);

        assertThatThrownBy(() -> store.record(record(UUID.randomUUID(), "f", T0), Optional.of(append), NEVER_EXPIRED))
                .isInstanceOf(DuplicateEventException.class);
        assertThat(events(stream)).hasSize(1);
    }

    @Test
    void expireDeletesOnlyRecordsOlderThanTheBound() {
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        store.record(record(old, "old", T0), Optional.empty(), NEVER_EXPIRED);
        store.record(record(recent, "recent", T0.plus(Duration.ofHours(1))), Optional.empty(), NEVER_EXPIRED);

        assertThat(store.expire(T0.plusSeconds(1))).isEqualTo(1);

        assertThat(store.record(record(old, "again", T0.plusSeconds(7200)), Optional.empty(), NEVER_EXPIRED))
                .isInstanceOf(CommandRecording.Written.class);
        assertThat(store.record(record(recent, "again", T0.plusSeconds(7200)), Optional.empty(), NEVER_EXPIRED))
                .isInstanceOf(CommandRecording.AlreadyRecorded.class);
    }

    @Test
    void concurrentRepeatsOfOneCommandWriteItOnce() throws Exception {
        int threads = 16;
        UUID id = UUID.randomUUID();
        StreamId stream = stream("race");
        var start = new CountDownLatch(1);
        var outcomes = new ArrayList<Future<CommandRecording>>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                outcomes.add(executor.submit(() -> {
                    start.await();
                    return store.record(record(id, "f", T0), Optional.of(appendOf(stream, ExpectedVersion.any(), 1)), NEVER_EXPIRED);
                }));
            }
            start.countDown();
            int written = 0;
            for (Future<CommandRecording> outcome : outcomes) {
                if (outcome.get() instanceof CommandRecording.Written) {
                    written++;
                }
            }
            assertThat(written).isEqualTo(1);
        }
        assertThat(events(stream)).hasSize(1);
    }
}
