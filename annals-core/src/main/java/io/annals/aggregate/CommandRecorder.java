package io.annals.aggregate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.event.Position;
import io.annals.event.StreamId;
import io.annals.store.Append;
import io.annals.store.AppendResult;
import io.annals.store.AppendResults;
import io.annals.store.CommandLog;
import io.annals.store.CommandRecord;
import io.annals.store.CommandRecording;
import io.annals.store.DuplicateEventException;
import io.annals.store.RecordedCommand;
import io.annals.store.StreamWrite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the first outcome of each command in the store's {@link CommandLog}, written with the
 * command's events, and answers a repeat with it (ADR 0009). Shared by both decider runtimes.
 */
final class CommandRecorder {

    static final Duration DEFAULT_RETENTION = Duration.ofDays(1);

    private static final Logger log = LoggerFactory.getLogger(CommandRecorder.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outcome as recorded: the streams written and how many events each got, or the rejection. */
    record Summary(List<Written> accepted, Rejection rejected) {
    }

    record Written(String stream, int events) {
    }

    record Rejection(String code, String message) {
    }

    private final CommandLog commandLog;
    private final EventSourcedStreams streams;
    private final Duration retention;
    private final Clock clock;
    private final AtomicLong nextExpiryMillis = new AtomicLong();

    /** @param commandLog null when the store keeps no command records */
    CommandRecorder(CommandLog commandLog, EventSourcedStreams streams, Duration retention, Clock clock) {
        this.commandLog = commandLog;
        this.streams = streams;
        this.retention = retention;
        this.clock = clock;
    }

    static Duration requirePositive(Duration retention) {
        java.util.Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("the retention of command records must be positive, got " + retention);
        }
        return retention;
    }

    static CommandRecorder forStore(EventSourcedStreams streams, Duration retention, Clock clock) {
        return new CommandRecorder(streams.store() instanceof CommandLog commands ? commands : null, streams, retention, clock);
    }

    /** Whether the store keeps command records; without them a repeat is recognised only by its event ids. */
    boolean records() {
        return commandLog != null;
    }

    /** A digest of the command's type and JSON form: equal for a repeat, different for another command. */
    String fingerprint(Object command) {
        String text = command.getClass().getName() + '\n' + streams.serializer().toJson(command);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Writes an accepted decision's append (if it has one) with its record; or finds the command recorded before. */
    CommandRecording accepted(CommandContext context, String fingerprint, Optional<Append> append) {
        var written = new ArrayList<Written>();
        append.ifPresent(a -> {
            for (StreamWrite write : a.writes()) {
                written.add(new Written(write.streamId().value(), write.events().size()));
            }
        });
        return record(context, fingerprint, new Summary(written, null), append);
    }

    /** Records a rejection; empty when recorded now, else what the command's id recorded before. */
    Optional<RecordedCommand> rejected(CommandContext context, String fingerprint, DomainException rejection) {
        String message = rejection.getMessage() == null ? "" : rejection.getMessage();
        if (message.length() > 4096) {
            message = message.substring(0, 4096);
        }
        CommandRecording recording = record(context, fingerprint,
                new Summary(null, new Rejection(String.valueOf(rejection.code()), message)), Optional.empty());
        return recording instanceof CommandRecording.AlreadyRecorded(RecordedCommand earlier)
                ? Optional.of(earlier) : Optional.empty();
    }

    private CommandRecording record(CommandContext context, String fingerprint, Summary summary, Optional<Append> append) {
        Instant now = clock.instant();
        var record = new CommandRecord(context.commandId(), fingerprint, json(summary), now);
        CommandRecording recording;
        try {
            recording = EventSourcedStreams.retryingUnavailable(() -> commandLog.record(record, append, now.minus(retention)));
        } catch (DuplicateEventException e) {
            // the events' ids derive from the command id, so the id was used before and its record has expired
            throw new CommandIdReusedException(context.commandId(), "command id " + context.commandId()
                    + " was used by an earlier command whose record has expired; send a new command under a new id");
        }
        if (recording instanceof CommandRecording.AlreadyRecorded(RecordedCommand earlier)
                && !earlier.record().fingerprint().equals(fingerprint)) {
            throw new CommandIdReusedException(context.commandId(), "command id " + context.commandId()
                    + " was used by a different command; a command id may only be sent again with the same command");
        }
        expireIfDue(now);
        return recording;
    }

    /** The events an earlier accepted command wrote, read back; an earlier rejection is thrown again. */
    List<Object> earlierEvents(RecordedCommand earlier) {
        Summary summary = summary(earlier);
        if (summary.rejected() != null) {
            throw new DomainException(summary.rejected().code(), summary.rejected().message());
        }
        if (earlier.results().isEmpty()) {
            return List.of();
        }
        List<AppendResult> results = earlier.results().get().streams();
        var events = new ArrayList<Object>();
        for (int i = 0; i < summary.accepted().size(); i++) {
            Written written = summary.accepted().get(i);
            long last = results.get(i).nextExpectedVersion();
            events.addAll(streams.read(StreamId.of(written.stream()), last - written.events() + 1, written.events()));
        }
        return events;
    }

    static Optional<Position> position(RecordedCommand earlier) {
        return earlier.results().map(AppendResults::position);
    }

    /** Deletes expired records now and then, on the thread of a command that was just recorded. */
    private void expireIfDue(Instant now) {
        long next = nextExpiryMillis.get();
        long millis = now.toEpochMilli();
        long interval = Math.max(1_000, retention.toMillis() / 24);
        if (millis < next || !nextExpiryMillis.compareAndSet(next, millis + interval)) {
            return;
        }
        try {
            commandLog.expire(now.minus(retention));
        } catch (RuntimeException e) {
            // the records stay a little longer; the next round tries again
            log.warn("could not delete expired command records: {}", e.toString());
        }
    }

    private static String json(Summary summary) {
        try {
            return JSON.writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a command outcome", e);
        }
    }

    private static Summary summary(RecordedCommand earlier) {
        try {
            return JSON.readValue(earlier.record().outcome(), Summary.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable record of command " + earlier.record().commandId(), e);
        }
    }
}
