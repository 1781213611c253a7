package io.annals.cep.store;

import static org.awaitility.Awaitility.await;

import io.annals.event.Position;
import io.annals.store.EventFilter;
import io.annals.store.sqlite.SqliteEventStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A process that runs the restart test's processors over a SQLite store until they have taken
 * the last input event, then ends every window and exits. The test kills it at random points.
 */
public final class ProcessorChild {

    private ProcessorChild() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int checkpointEvery = Integer.parseInt(args[1]);
        Position last = Position.parse(args[2]);
        try (var store = SqliteEventStore.open(file)) {
            var processors = RestartTest.PATTERNS.entrySet().stream().map(entry -> CepProcessor
                    .builder(store, entry.getKey(), entry.getValue())
                    .filter(EventFilter.streamPrefix("user-"))
                    .checkpointEvery(checkpointEvery)
                    .allowedLateness(RestartTest.LATENESS)
                    .start()).toList();
            var progress = store.subscribeToAll(last,
                    EventFilter.streamPrefix(CepProcessor.CHECKPOINT_CATEGORY + "-"),
                    event -> System.out.println("checkpoint " + event.streamId() + " " + event.version()));
            await().atMost(Duration.ofMinutes(2)).until(() -> processors.stream().allMatch(p -> p.position().equals(last)
                    || p.failure().isPresent()));
            processors.forEach(p -> p.failure().ifPresent(failure -> {
                throw new IllegalStateException(failure);
            }));
            for (CepProcessor processor : processors) {
                processor.advanceWatermarkTo(Long.MAX_VALUE);
                processor.close();
            }
            progress.close();
            System.out.println("done");
        }
        System.exit(0);
    }

    static List<String> command(Path file, int checkpointEvery, Position last) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ProcessorChild.class.getName(), file.toString(), Integer.toString(checkpointEvery), last.toString());
    }
}
