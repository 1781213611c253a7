package io.annals.cep.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.cep.CepEngine;
import io.annals.cep.text.PatternDefinition;
import io.annals.cep.text.PatternText;
import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.EventFilter;
import io.annals.store.ExpectedVersion;
import io.annals.store.sqlite.SqliteEventStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process running two processors (a ring pattern and an absence on the automaton) at
 * random points, restarts it, and checks that the matches written equal those of one
 * uninterrupted run: none lost, none twice, in the same order.
 */
class RestartTest {

    static final Duration LATENESS = Duration.ofSeconds(20);
    static final Map<String, PatternDefinition> PATTERNS = new LinkedHashMap<>();

    static {
        PATTERNS.put("suspicious", PatternText.parseOne(
                "PATTERN SuspiciousUserActivity: UserLoginFailed{3} WITHIN 5m PARTITION BY userId SKIP PAST LAST"));
        PATTERNS.put("unanswered", PatternText.parseOne(
                "PATTERN FailureNotFollowedByLogin: UserLoginFailed -> NOT UserLoggedIn WITHIN 2m PARTITION BY userId"));
    }

    @TempDir
    Path directory;

    @Test
    void killed_at_random_points_a_processor_neither_loses_nor_repeats_a_match() throws Exception {
        // the seed fixes the input, the checkpoint intervals and the kill counts; where a kill lands also depends on timing
        long seed = Long.getLong("annals.seed", System.nanoTime());
        var random = new Random(seed);
        Path file = directory.resolve("annals.db");
        Position last;
        try (var store = SqliteEventStore.open(file)) {
            last = appendInput(store, random);
        }
        int kills = 0;
        for (int round = 0; round < 4; round++) {
            Process child = new ProcessBuilder(ProcessorChild.command(file, 5 + random.nextInt(20), last))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            int killAfter = 1 + random.nextInt(30);
            var lines = new BufferedReader(new InputStreamReader(child.getInputStream()));
            int checkpoints = 0;
            boolean killed = false;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("checkpoint") && ++checkpoints >= killAfter) {
                    child.destroyForcibly();
                    killed = true;
                    kills++;
                    break;
                }
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("-Dannals.seed=%d", seed).isTrue();
            if (!killed) {
                // it ran to the end before the kill: it must have got there, not failed on the way
                assertThat(child.exitValue()).as("-Dannals.seed=%d, round %d", seed, round).isZero();
            }
        }
        Process lastRun = new ProcessBuilder(ProcessorChild.command(file, 17, last)).inheritIO().start();
        assertThat(lastRun.waitFor(120, TimeUnit.SECONDS)).as("-Dannals.seed=%d", seed).isTrue();
        assertThat(lastRun.exitValue()).as("-Dannals.seed=%d", seed).isZero();

        try (var store = SqliteEventStore.open(file)) {
            for (var entry : PATTERNS.entrySet()) {
                List<UUID> expected = uninterrupted(store, entry.getKey(), entry.getValue());
                List<UUID> written = store.readStreamForward(StreamId.of("cep", entry.getKey()), 0, 100_000).stream()
                        .map(RecordedEvent::eventId).toList();
                assertThat(expected).as("-Dannals.seed=%d: the input makes matches", seed).isNotEmpty();
                assertThat(written).as("-Dannals.seed=%d, %s, %d kills", seed, entry.getKey(), kills).containsExactlyElementsOf(expected);
            }
        }
    }

    /** Logins of a few users, with failures in bursts and times a little out of order. */
    static Position appendInput(SqliteEventStore store, Random random) {
        Instant time = Instant.parse("2025-01-01T10:00:00Z");
        Position last = Position.START;
        for (int i = 0; i < 600; i++) {
            time = time.plusSeconds(random.nextInt(25));
            String user = "u" + random.nextInt(6);
            String type = random.nextInt(10) < 7 ? "UserLoginFailed" : "UserLoggedIn";
            Instant occurred = time.minusSeconds(random.nextInt(15));
            var event = EventData.of(type, "{\"userId\":\"" + user + "\"}").withOccurredAt(occurred);
            last = store.append(StreamId.of("user", user), ExpectedVersion.any(), List.of(event)).position();
        }
        return last;
    }

    /** The ids one run over all the input, without a stop, writes. */
    static List<UUID> uninterrupted(SqliteEventStore store, String name, PatternDefinition definition) {
        var ids = new ArrayList<UUID>();
        var engine = CepEngine.builder(definition.pattern(), definition.partitionBy(), (RecordedEvent e) -> e.occurredAt().toEpochMilli())
                .allowedLateness(LATENESS)
                .onMatch(match -> ids.add(MatchEvents.id(name, match)))
                .build();
        Position after = Position.START;
        while (true) {
            var batch = store.readAll(after, 1000, EventFilter.streamPrefix("user-"));
            if (batch.isEmpty()) {
                break;
            }
            batch.forEach(engine::process);
            after = batch.getLast().position();
        }
        engine.advanceWatermark(Long.MAX_VALUE);
        return ids;
    }
}
