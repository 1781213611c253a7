package io.annals.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.store.Append;
import io.annals.store.CommandRecord;
import io.annals.store.CommandRecording;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRecordsAcrossRestartTest {

    @TempDir
    Path directory;

    @Test
    void aRecordAndItsEventsSurviveARestartTogether() {
        Path file = directory.resolve("restart.db");
        UUID commandId = UUID.randomUUID();
        var record = new CommandRecord(commandId, "sha256:1", "{\"accepted\":[]}", Instant.parse("2025-05-05T12:00:00.123456789Z"));
        var append = Append.to(StreamId.of("user-1"), ExpectedVersion.noStream(), List.of(EventData.of("Registered", "{}")));
        CommandRecording first;
        try (var store = SqliteEventStore.open(file)) {
            first = store.record(record, Optional.of(append), Instant.EPOCH);
        }
        try (var store = SqliteEventStore.open(file)) {
            CommandRecording again = store.record(record, Optional.of(append), Instant.EPOCH);
            assertThat(again).isInstanceOf(CommandRecording.AlreadyRecorded.class);
            assertThat(again.recorded()).isEqualTo(first.recorded());
            assertThat(store.readStream(StreamId.of("user-1"), 0, ReadDirection.FORWARD, 10)).hasSize(1);
        }
    }
}
