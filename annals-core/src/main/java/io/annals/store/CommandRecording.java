package io.annals.store;

/** What {@link CommandLog#record} did: wrote the record (and its append), or found the command recorded already. */
public sealed interface CommandRecording {

    RecordedCommand recorded();

    /** The record and its append were written, in one transaction. */
    record Written(RecordedCommand recorded) implements CommandRecording {
    }

    /** The command id was recorded before; nothing was written and this is the earlier record. */
    record AlreadyRecorded(RecordedCommand recorded) implements CommandRecording {
    }
}
