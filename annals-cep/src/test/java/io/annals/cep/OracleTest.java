package io.annals.cep;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiPredicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random patterns over random event sequences (random times, random lateness, random watermark
 * moves) against a brute-force matcher that knows nothing of the engine: it lists every sequence
 * of events that satisfies the pattern's definition, orders them by when they complete, and
 * applies the skip strategy to that list.
 */
class OracleTest {

    sealed interface Ev permits A, B, C {
        int id();

        String key();

        int value();

        long time();
    }

    record A(int id, String key, int value, long time) implements Ev {
    }

    record B(int id, String key, int value, long time) implements Ev {
    }

    record C(int id, String key, int value, long time) implements Ev {
    }

    static final List<Class<? extends Ev>> TYPES = List.of(A.class, B.class, C.class);

    /** How a stage's condition is drawn: 0 none, 1 even value, 2 value at least the last taken one's. */
    record StageSpec(String name, Class<? extends Ev> type, int condition, int min, int max, Contiguity contiguity,
                     Stage.Kind kind) {

        boolean accepts(Ev event, List<Ev> soFar) {
            if (!type.isInstance(event)) {
                return false;
            }
            return switch (condition) {
                case 0 -> true;
                case 1 -> event.value() % 2 == 0;
                default -> soFar.isEmpty() || event.value() >= soFar.getLast().value();
            };
        }
    }

    record Spec(List<StageSpec> stages, Long within, SkipStrategy skip, long lateness) {
    }

    static Stream<Integer> seeds() {
        return IntStream.range(0, Integer.getInteger("cep.oracle.seeds", 400)).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void engine_agrees_with_brute_force(int seed) {
        var random = new Random(seed * 7919L + 17);
        Spec spec = randomSpec(random);
        List<Object> input = randomInput(random);
        var described = "seed " + seed + ", pattern " + spec + ", input " + input;

        Map<String, List<List<Integer>>> expected = oracle(spec, input);
        Map<String, List<List<Integer>>> actual = runEngine(spec, input);
        assertThat(actual).as(described).isEqualTo(expected);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void a_snapshot_restored_into_a_new_engine_continues_as_if_nothing_happened(int seed) {
        var random = new Random(seed * 31L + 5);
        Spec spec = randomSpec(random);
        List<Object> input = randomInput(random);
        int split = input.isEmpty() ? 0 : random.nextInt(input.size() + 1);

        Map<String, List<List<Integer>>> uninterrupted = runEngine(spec, input);
        var matches = new LinkedHashMap<String, List<List<Integer>>>();
        var before = engine(spec, matches);
        input.subList(0, split).forEach(item -> feed(before, item));
        var after = engine(spec, matches);
        after.restore(before.snapshot());
        input.subList(split, input.size()).forEach(item -> feed(after, item));
        after.advanceWatermark(Long.MAX_VALUE);

        assertThat(matches).as("seed %d, split at %d, pattern %s, input %s", seed, split, spec, input).isEqualTo(uninterrupted);
    }

    static CepEngine<Ev, String> engine(Spec spec, Map<String, List<List<Integer>>> matches) {
        return CepEngine.builder(toPattern(spec), Ev::key, Ev::time)
                .allowedLateness(Duration.ofMillis(spec.lateness()))
                .onMatch(match -> matches.computeIfAbsent(match.key(), k -> new ArrayList<>())
                        .add(match.events().stream().map(Ev::id).toList()))
                .build();
    }

    static void feed(CepEngine<Ev, String> engine, Object item) {
        if (item instanceof Ev event) {
            engine.process(event);
        } else {
            engine.advanceWatermark((Long) item);
        }
    }

    // ---- generation

    static Spec randomSpec(Random random) {
        int taking = random.nextInt(3) == 0 ? 1 : 1 + random.nextInt(3);
        var stages = new ArrayList<StageSpec>();
        for (int i = 0; i < taking; i++) {
            if (i > 0 && random.nextInt(4) == 0) {
                var kind = random.nextBoolean() ? Stage.Kind.NOT_NEXT : Stage.Kind.NOT_FOLLOWED_BY;
                stages.add(new StageSpec("n" + i, TYPES.get(random.nextInt(3)), random.nextInt(2), 1, 1, Contiguity.RELAXED, kind));
            }
            int min;
            int max;
            switch (random.nextInt(7)) {
                case 0 -> { min = 2; max = 2; }
                case 1 -> { min = 1; max = 2; }
                case 2 -> { min = 1; max = Stage.UNBOUNDED; }
                case 3 -> { min = i == 0 ? 1 : 0; max = 1; }
                case 4 -> { min = 3; max = 3; }
                case 5 -> { min = 4; max = 4; }
                default -> { min = 1; max = 1; }
            }
            var contiguity = random.nextInt(4) == 0 ? Contiguity.STRICT : Contiguity.RELAXED;
            stages.add(new StageSpec("s" + i, TYPES.get(random.nextInt(3)), random.nextInt(3), min, max, contiguity, Stage.Kind.TAKE));
        }
        boolean absence = random.nextInt(4) == 0;
        if (absence) {
            stages.add(new StageSpec("absent", TYPES.get(random.nextInt(3)), random.nextInt(2), 1, 1, Contiguity.RELAXED,
                    Stage.Kind.NOT_FOLLOWED_BY));
        }
        Long within = absence || random.nextInt(5) > 0 ? (long) (3 + random.nextInt(25)) : null;
        var skip = SkipStrategy.values()[random.nextInt(3)];
        return new Spec(stages, within, skip, random.nextInt(3) == 0 ? 0 : random.nextInt(6));
    }

    /** Events and, as {@code Long}, watermark moves, in arrival order. */
    static List<Object> randomInput(Random random) {
        int count = random.nextInt(18);
        int keys = 1 + random.nextInt(2);
        var input = new ArrayList<Object>();
        long clock = 0;
        for (int id = 0; id < count; id++) {
            clock += random.nextInt(4);
            long time = Math.max(0, clock - random.nextInt(7));
            String key = "k" + random.nextInt(keys);
            int value = random.nextInt(4);
            input.add(switch (random.nextInt(3)) {
                case 0 -> new A(id, key, value, time);
                case 1 -> new B(id, key, value, time);
                default -> new C(id, key, value, time);
            });
            if (random.nextInt(8) == 0) {
                input.add(clock + random.nextInt(10) - 3);
            }
        }
        return input;
    }

    // ---- the engine

    static Map<String, List<List<Integer>>> runEngine(Spec spec, List<Object> input) {
        var matches = new LinkedHashMap<String, List<List<Integer>>>();
        var engine = engine(spec, matches);
        input.forEach(item -> feed(engine, item));
        engine.advanceWatermark(Long.MAX_VALUE);
        if (spec.within() != null) {
            assertThat(engine.metrics().partialMatches()).as("state left after every window ended").isZero();
            assertThat(engine.metrics().keys()).isZero();
        }
        return matches;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Pattern<Ev> toPattern(Spec spec) {
        PatternBuilder builder = null;
        for (StageSpec stage : spec.stages()) {
            if (builder == null) {
                builder = Pattern.<Ev, Ev>begin(stage.name(), (Class) stage.type());
                if (stage.contiguity() == Contiguity.STRICT) {
                    builder = builder.consecutive();
                }
            } else {
                builder = switch (stage.kind()) {
                    case TAKE -> stage.contiguity() == Contiguity.STRICT ? builder.next(stage.name(), stage.type())
                            : builder.followedBy(stage.name(), stage.type());
                    case NOT_NEXT -> builder.notNext(stage.name(), stage.type());
                    case NOT_FOLLOWED_BY -> builder.notFollowedBy(stage.name(), stage.type());
                };
            }
            builder = switch (stage.condition()) {
                case 0 -> builder;
                case 1 -> builder.where((java.util.function.Predicate<Ev>) event -> event.value() % 2 == 0);
                default -> builder.where((BiPredicate<Ev, MatchSoFar<Ev>>) (event, soFar) ->
                        soFar.events().isEmpty() || event.value() >= soFar.events().getLast().value());
            };
            if (stage.kind() == Stage.Kind.TAKE && !(stage.min() == 1 && stage.max() == 1)) {
                builder = stage.min() == 0 ? builder.optional() : builder.times(stage.min(), stage.max());
            }
        }
        if (spec.within() != null) {
            builder = builder.within(Duration.ofMillis(spec.within()));
        }
        return builder.skip(spec.skip()).named("p");
    }

    // ---- the oracle

    /** A match found by brute force, with the place in time where it completes. */
    record Found(List<Integer> indexes, boolean absence, long completesAt) {
    }

    static Map<String, List<List<Integer>>> oracle(Spec spec, List<Object> input) {
        // which events are late: the watermark as the definition gives it, in arrival order
        long watermark = Long.MIN_VALUE;
        long maxTime = Long.MIN_VALUE;
        var onTime = new ArrayList<Ev>();
        for (Object item : input) {
            if (item instanceof Ev event) {
                if (event.time() < watermark) {
                    continue;
                }
                maxTime = Math.max(maxTime, event.time());
                watermark = Math.max(watermark, maxTime - spec.lateness());
                onTime.add(event);
            } else {
                watermark = Math.max(watermark, (Long) item);
            }
        }
        var byKey = new LinkedHashMap<String, List<Ev>>();
        for (Ev event : onTime) {
            byKey.computeIfAbsent(event.key(), k -> new ArrayList<>()).add(event);
        }
        var result = new HashMap<String, List<List<Integer>>>();
        byKey.forEach((key, events) -> {
            var sorted = new ArrayList<>(events);
            sorted.sort(Comparator.comparingLong(Ev::time)); // stable: ties stay in arrival order
            var accepted = matchesOf(spec, sorted);
            if (!accepted.isEmpty()) {
                result.put(key, accepted);
            }
        });
        return result;
    }

    static List<List<Integer>> matchesOf(Spec spec, List<Ev> events) {
        var taking = spec.stages().stream().filter(s -> s.kind() == Stage.Kind.TAKE).toList();
        var found = new ArrayList<Found>();
        for (int start = 0; start < events.size(); start++) {
            extend(spec, taking, events, new ArrayList<>(List.of(start)), new ArrayList<>(List.of(0)), found);
        }
        found.sort(Comparator.<Found>comparingLong(Found::completesAt)
                .thenComparing(f -> f.absence() ? 1 : 0)
                .thenComparing(f -> f.absence() ? 0 : f.indexes().getLast())
                .thenComparing((f, g) -> compareLex(f.indexes(), g.indexes())));
        var accepted = new ArrayList<List<Integer>>();
        var acceptedFound = new ArrayList<Found>();
        for (Found candidate : found) {
            int first = candidate.indexes().getFirst();
            boolean discard = switch (spec.skip()) {
                case NO_SKIP -> false;
                case SKIP_TO_NEXT -> acceptedFound.stream().anyMatch(a -> a.indexes().getFirst() == first);
                case SKIP_PAST_LAST_EVENT -> acceptedFound.stream().anyMatch(a -> first <= a.indexes().getLast());
            };
            if (!discard) {
                acceptedFound.add(candidate);
                accepted.add(candidate.indexes().stream().map(i -> events.get(i).id()).toList());
            }
        }
        return accepted;
    }

    static int compareLex(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** Tries every labelled index sequence that starts with {@code indexes}; records those that are matches. */
    static void extend(Spec spec, List<StageSpec> taking, List<Ev> events, List<Integer> indexes, List<Integer> labels,
                       List<Found> found) {
        if (!prefixHolds(spec, taking, events, indexes, labels)) {
            return;
        }
        if (isMatch(spec, taking, events, indexes, labels)) {
            boolean absence = spec.stages().getLast().kind() != Stage.Kind.TAKE;
            long completesAt = absence ? events.get(indexes.getFirst()).time() + spec.within()
                    : events.get(indexes.getLast()).time();
            found.add(new Found(List.copyOf(indexes), absence, completesAt));
        }
        int lastLabel = labels.getLast();
        for (int next = indexes.getLast() + 1; next < events.size(); next++) {
            for (int label = lastLabel; label < taking.size(); label++) {
                indexes.add(next);
                labels.add(label);
                extend(spec, taking, events, indexes, labels, found);
                indexes.removeLast();
                labels.removeLast();
            }
        }
    }

    /** The conditions that only look at the prefix: stages, counts so far, conditions, contiguity, span. */
    static boolean prefixHolds(Spec spec, List<StageSpec> taking, List<Ev> events, List<Integer> indexes, List<Integer> labels) {
        int k = indexes.size() - 1;
        int label = labels.get(k);
        StageSpec stage = taking.get(label);
        List<Ev> soFar = indexes.subList(0, k).stream().map(events::get).toList();
        Ev event = events.get(indexes.get(k));
        if (!stage.accepts(event, soFar)) {
            return false;
        }
        if (spec.within() != null && event.time() - events.get(indexes.getFirst()).time() > spec.within()) {
            return false;
        }
        int count = (int) labels.stream().filter(l -> l == label).count();
        if (count > stage.max()) {
            return false;
        }
        if (k == 0) {
            return label == 0;
        }
        int previousLabel = labels.get(k - 1);
        if (label != previousLabel) {
            // the stage left behind must be complete, and every stage jumped over optional
            int previousCount = (int) labels.stream().filter(l -> l == previousLabel).count();
            if (previousCount < taking.get(previousLabel).min()) {
                return false;
            }
            for (int skipped = previousLabel + 1; skipped < label; skipped++) {
                if (taking.get(skipped).min() > 0) {
                    return false;
                }
            }
        }
        int previous = indexes.get(k - 1);
        int current = indexes.get(k);
        if (stage.contiguity() == Contiguity.STRICT) {
            if (current != previous + 1) {
                return false;
            }
        } else {
            for (int between = previous + 1; between < current; between++) {
                if (stage.accepts(events.get(between), soFar)) {
                    return false;
                }
            }
        }
        // negative stages between the previous element's stage and this one's
        for (var negative : negativesBetween(spec, previousLabel, label)) {
            if (negative.kind() == Stage.Kind.NOT_NEXT) {
                if (negative.accepts(events.get(previous + 1), soFar)) {
                    return false;
                }
            } else {
                for (int between = previous + 1; between < current; between++) {
                    if (negative.accepts(events.get(between), soFar)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Whether a sequence whose prefixes all hold is a whole match. */
    static boolean isMatch(Spec spec, List<StageSpec> taking, List<Ev> events, List<Integer> indexes, List<Integer> labels) {
        int lastLabel = labels.getLast();
        int lastCount = (int) labels.stream().filter(l -> l == lastLabel).count();
        if (lastCount < taking.get(lastLabel).min()) {
            return false;
        }
        for (int later = lastLabel + 1; later < taking.size(); later++) {
            if (taking.get(later).min() > 0) {
                return false;
            }
        }
        StageSpec last = spec.stages().getLast();
        if (last.kind() == Stage.Kind.TAKE) {
            return true;
        }
        List<Ev> all = indexes.stream().map(events::get).toList();
        long deadline = all.getFirst().time() + spec.within();
        for (int after = indexes.getLast() + 1; after < events.size() && events.get(after).time() <= deadline; after++) {
            if (last.accepts(events.get(after), all)) {
                return false;
            }
        }
        return true;
    }

    /** Negative stages placed after taking stage {@code from} and before taking stage {@code to}. */
    static List<StageSpec> negativesBetween(Spec spec, int from, int to) {
        var negatives = new ArrayList<StageSpec>();
        int takingIndex = -1;
        for (StageSpec stage : spec.stages()) {
            if (stage.kind() == Stage.Kind.TAKE) {
                takingIndex++;
            } else if (takingIndex >= from && takingIndex < to) {
                negatives.add(stage);
            }
        }
        return negatives;
    }
}
