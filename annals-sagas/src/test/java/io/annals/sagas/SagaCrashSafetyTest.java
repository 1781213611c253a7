package io.annals.sagas;

import io.annals.property.Property;
import io.annals.sagas.SagaEvent.CompensationStarted;
import io.annals.sagas.SagaEvent.StepStarted;
import io.annals.store.sqlite.SqliteEventStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Item 2 of the saga issue: a child JVM runs sagas on a SQLite file and dies at a random point
 * (it halts itself at a drawn crash point, or this test kills it after a drawn number of calls),
 * many times over, then runs to the end. Afterwards every saga is at rest, no action or
 * compensation ran twice without being told it was a retry, and every step whose action was
 * called was compensated in a saga that was compensated.
 */
class SagaCrashSafetyTest {

    private static final int TRIPS = 10;
    private static final int CRASHING_RUNS = 10;

    @TempDir
    Path directory;

    record Call(String kind, String sagaId, String step, int attempt, boolean retry) {
        static Call parse(String line) {
            String[] parts = line.split(" ");
            return new Call(parts[0], parts[1], parts[2], Integer.parseInt(parts[3]), Boolean.parseBoolean(parts[4]));
        }
    }

    @Test
    void sagasKilledAtRandomPointsEndAtRestWithoutUnannouncedRepeatsOrSkippedCompensations() {
        Property.check(1, draw -> {
            Path file = Files.createTempFile(directory, "sagas", ".db");
            Files.delete(file);
            Path calls = Files.createTempFile(directory, "calls", ".txt");
            int crashes = 0;
            for (int run = 0; run < CRASHING_RUNS; run++) {
                if (run % 3 == 2) {
                    int before = completeLines(calls).size();
                    int more = draw.intBetween(1, 12);
                    Process child = startChild(file, calls, 0);
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> !child.isAlive() || completeLines(calls).size() >= before + more);
                    child.destroyForcibly();
                    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                } else {
                    Process child = startChild(file, calls, draw.intBetween(1, 40));
                    assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("child run %d ends", run).isTrue();
                    assertThat(child.exitValue()).as("child run %d", run).isIn(0, SagaCrashRun.EXIT_CRASHED);
                    crashes += child.exitValue() == SagaCrashRun.EXIT_CRASHED ? 1 : 0;
                }
            }
            Process last = startChild(file, calls, 0);
            assertThat(last.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(last.exitValue()).isZero();
            assertThat(crashes).as("runs that crashed on their own").isPositive();

            verify(file, completeLines(calls).stream().map(Call::parse).toList());
        });
    }

    private void verify(Path file, List<Call> calls) {
        Map<String, List<Call>> byStep = new HashMap<>();
        for (Call call : calls) {
            byStep.computeIfAbsent(call.kind() + " " + call.sagaId() + " " + call.step(), k -> new ArrayList<>()).add(call);
        }
        // no call ran twice without being told it is a retry: a first try once at most, every other try a retry, no try number twice
        byStep.forEach((key, tries) -> {
            assertThat(tries).as(key).filteredOn(call -> !call.retry()).hasSizeLessThanOrEqualTo(1)
                    .allSatisfy(call -> assertThat(call.attempt()).isEqualTo(1));
            assertThat(tries).as(key).extracting(Call::attempt).doesNotHaveDuplicates();
            assertThat(tries).as(key).allSatisfy(call -> assertThat(call.retry()).isEqualTo(call.attempt() > 1));
        });
        var definition = SagaCrashRun.definition((t, c) -> "", (t, c) -> "", (t, c) -> "",
                Step.Compensation.none(), Step.Compensation.none(), Step.Compensation.none());
        try (var store = SqliteEventStore.open(file); var engine = SagaEngine.builder(store).register(definition).build()) {
            assertThat(engine.list(java.util.Optional.empty())).hasSize(TRIPS);
            for (String sagaId : SagaCrashRun.sagaIds(TRIPS)) {
                SagaView view = engine.find(sagaId).orElseThrow();
                assertThat(view.status()).as(sagaId)
                        .isIn(SagaStatus.COMPLETED, SagaStatus.COMPENSATED, SagaStatus.NEEDS_ATTENTION);
                List<Call> ofSaga = calls.stream().filter(call -> call.sagaId().equals(sagaId)).toList();
                // every call was preceded by its recorded start
                for (Call call : ofSaga) {
                    assertThat(view.history()).as("%s %s", sagaId, call).anySatisfy(event -> assertThat(event).satisfiesAnyOf(
                            e -> assertThat(call.kind().equals("run") && e instanceof StepStarted started
                                    && started.step().equals(call.step()) && started.attempt() == call.attempt()).isTrue(),
                            e -> assertThat(call.kind().equals("undo") && e instanceof CompensationStarted started
                                    && started.step().equals(call.step()) && started.attempt() == call.attempt()).isTrue()));
                }
                List<String> called = ofSaga.stream().filter(c -> c.kind().equals("run")).map(Call::step).distinct().toList();
                List<String> undone = ofSaga.stream().filter(c -> c.kind().equals("undo")).map(Call::step).distinct().toList();
                switch (view.status()) {
                    case COMPLETED -> {
                        assertThat(called).as(sagaId).containsExactly("flight", "hotel", "car");
                        assertThat(undone).as(sagaId).isEmpty();
                    }
                    case COMPENSATED -> {
                        // every step whose action was called was undone, the last first
                        assertThat(undone).as(sagaId).containsAll(called);
                        assertThat(undone).as(sagaId).isSortedAccordingTo(
                                java.util.Comparator.comparing((String step) -> List.of("car", "hotel", "flight").indexOf(step)));
                        assertThat(view.steps()).as(sagaId).allSatisfy(step ->
                                assertThat(step.compensated()).isEqualTo(step.attempts() > 0));
                    }
                    case NEEDS_ATTENTION -> assertThat(view.error()).as(sagaId).isPresent();
                    default -> throw new AssertionError(sagaId + " is " + view.status());
                }
            }
            // the trips whose flight refund always fails cannot end otherwise
            assertThat(engine.list(java.util.Optional.of(SagaStatus.NEEDS_ATTENTION))).isNotEmpty();
        }
    }

    private Process startChild(Path file, Path calls, int crashAt) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), SagaCrashRun.class.getName(),
                file.toString(), calls.toString(), Integer.toString(crashAt), Integer.toString(TRIPS))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(directory.resolve("child-errors.txt").toFile())
                .start();
    }

    private static List<String> completeLines(Path output) throws IOException {
        String text = Files.readString(output, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }
}
