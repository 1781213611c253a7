package io.annals.sagas;

import io.annals.store.sqlite.SqliteEventStore;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;

/**
 * The child process of {@link SagaCrashSafetyTest}: runs trip sagas on a SQLite file and halts
 * (as {@code kill -9} would: no shutdown hooks, no finally) at its {@code crashAt}th crash point.
 * Crash points lie before and after every append and before and after every call's effect.
 * Every call of an action or a compensation is written to the calls file before it takes
 * effect, so the parent sees every call, also those of a run that died.
 */
public final class SagaCrashRun {

    /** How each trip behaves, by its number. */
    enum Kind {
        ALL_SUCCEED, CAR_FAILS, HOTEL_FAILS_ONCE, CAR_FAILS_AND_FLIGHT_REFUND_FAILS, CAR_FAILS_AND_HOTEL_REFUND_FAILS_ONCE;

        static Kind of(int trip) {
            return values()[trip % values().length];
        }
    }

    record Trip(int number) {
    }

    static final int EXIT_CRASHED = 99;
    static final String DONE = "done";

    private final AtomicInteger crashPoints = new AtomicInteger();
    private final int crashAt;
    private final Path calls;

    private SagaCrashRun(int crashAt, Path calls) {
        this.crashAt = crashAt;
        this.calls = calls;
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        Path calls = Path.of(args[1]);
        int crashAt = Integer.parseInt(args[2]);
        int trips = Integer.parseInt(args[3]);
        new SagaCrashRun(crashAt, calls).run(file, trips);
    }

    static SagaDefinition<Trip> definition(Step.Action<Trip> flight, Step.Action<Trip> hotel, Step.Action<Trip> car,
                                           Step.Compensation<Trip> undoFlight, Step.Compensation<Trip> undoHotel,
                                           Step.Compensation<Trip> undoCar) {
        var retry = new RetryPolicy(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20));
        return SagaDefinition.of("trip", Trip.class,
                Step.of("flight", flight, undoFlight).withRetry(retry).withCompensationRetry(retry),
                Step.of("hotel", hotel, undoHotel).withRetry(retry).withCompensationRetry(retry),
                Step.of("car", car, undoCar).withRetry(retry).withCompensationRetry(retry));
    }

    static List<String> sagaIds(int trips) {
        return IntStream.range(0, trips).mapToObj(i -> "trip-" + i).toList();
    }

    private void run(Path file, int trips) {
        var store = new CrashingStore(SqliteEventStore.open(file), this::crashPoint);
        var definition = definition(
                action(kind -> false),
                action(kind -> kind == Kind.HOTEL_FAILS_ONCE),
                action(kind -> kind != Kind.ALL_SUCCEED && kind != Kind.HOTEL_FAILS_ONCE),
                compensation(Kind.CAR_FAILS_AND_FLIGHT_REFUND_FAILS, false),
                compensation(Kind.CAR_FAILS_AND_HOTEL_REFUND_FAILS_ONCE, true),
                compensation(null, false));
        // the same node on every run: its interrupted tries are its own, resumed at once
        var engine = SagaEngine.builder(store).nodeId("crash-child").register(definition).build();
        engine.resumeAll();
        for (int i = 0; i < trips; i++) {
            engine.start(definition, "trip-" + i, new Trip(i));
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() ->
                sagaIds(trips).stream().allMatch(id -> engine.find(id).map(v -> v.status().isAtRest()).orElse(false)));
        engine.close();
        store.close();
        System.out.println(DONE);
        System.out.flush();
        System.exit(0);
    }

    private interface Fails {
        boolean test(Kind kind);
    }

    /** An action that fails for good when {@code fails} says so, or only on its first try for {@link Kind#HOTEL_FAILS_ONCE}. */
    private Step.Action<Trip> action(Fails fails) {
        return (trip, call) -> {
            crashPoint();
            record("run", call);
            crashPoint();
            Kind kind = Kind.of(trip.number());
            boolean transientOnly = kind == Kind.HOTEL_FAILS_ONCE;
            if (fails.test(kind) && (!transientOnly || call.attempt() == 1)) {
                throw new IllegalStateException("refused " + call.idempotencyKey() + " try " + call.attempt());
            }
            return call.idempotencyKey();
        };
    }

    /** A compensation that fails for the trips of {@code failing} kind: for good, or on its first try only. */
    private Step.Compensation<Trip> compensation(Kind failing, boolean onceOnly) {
        return (trip, call) -> {
            crashPoint();
            record("undo", call);
            crashPoint();
            if (Kind.of(trip.number()) == failing && (!onceOnly || call.attempt() == 1)) {
                throw new IllegalStateException("refund refused " + call.idempotencyKey());
            }
        };
    }

    private synchronized void record(String kind, StepCall call) {
        String line = kind + " " + call.sagaId() + " " + call.step() + " " + call.attempt() + " " + call.isRetry() + "\n";
        try (var out = new FileOutputStream(calls.toFile(), true)) {
            out.write(line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void crashPoint() {
        if (crashPoints.incrementAndGet() == crashAt) {
            Runtime.getRuntime().halt(EXIT_CRASHED);
        }
    }
}
