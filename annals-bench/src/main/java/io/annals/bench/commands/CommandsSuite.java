package io.annals.bench.commands;

import io.annals.bench.BenchFailures;
import io.annals.bench.report.CaseResult;
import io.annals.bench.report.Target;
import io.annals.bench.report.Unit;
import io.annals.bench.store.StoreSuite;
import io.annals.bench.subject.AnnalsStoreOpener;
import io.annals.bench.subject.OpenedStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The command side's cases, each measured on a fresh store of the benchmark's database. A case
 * with a target against {@value #BASELINE} measures that baseline in the same run, in turns with
 * itself, round after round, each round starting with the other one; the medians count.
 */
public final class CommandsSuite {

    public static final String SUITE = "commands";
    /** The baseline key: the store suite's {@code append-64-clients}, measured in the same run. */
    public static final String BASELINE = "unconditional";
    /** Where a ceiling is measured: the baseline's appends with the case's tags and no condition. */
    public static final String TAGGED = "tagged-unconditional";
    static final int CLIENTS = 64;
    static final int CONTENDERS = 16;

    /**
     * A case, its workload and the baseline factor it must reach (0: no baseline, no target), and
     * what else is measured in the same turns to say where the gap lies: the same work without
     * Annals (a ceiling) and parts of it, by baseline key.
     */
    record CommandsCase(String name, Workload workload, double atLeastTimesBaseline, List<Comparison> comparisons) {
        boolean hasBaseline() {
            return atLeastTimesBaseline > 0;
        }
    }

    /** A workload measured beside a case, reported under its baseline key. */
    record Comparison(String name, Workload workload) {
    }

    /** How long each measurement runs and how often. */
    public record Settings(Duration warmup, Duration measure, int rounds) {
        public Settings {
            if (rounds < 1 || warmup.isNegative() || measure.isNegative() || measure.isZero()) {
                throw new IllegalArgumentException("rounds must be at least 1 and the measurement window positive");
            }
        }
    }

    /** What a case gave: its result for the report, and conflicts per second where it counts them. */
    public record Measured(CaseResult result, double conflictsPerSecond) {
    }

    public static List<CommandsCase> cases() {
        return List.of(
                new CommandsCase("conditional-append-64-clients", Workloads.conditional(CLIENTS), 0.7, List.of(
                        new Comparison(TAGGED, Workloads.tagged(CLIENTS)),
                        new Comparison(RawConditional.NAME, RawConditional.workload(CLIENTS)))),
                new CommandsCase("register-user-64-clients", Workloads.registerUsers(CLIENTS), 0.4, List.of(
                        new Comparison(RawRegistration.NAME, RawRegistration.workload(CLIENTS)))),
                new CommandsCase("contended-condition", Workloads.contended(CONTENDERS), 0, List.of()));
    }

    private final AnnalsStoreOpener opener;
    private final PrintWriter progress;

    public CommandsSuite(AnnalsStoreOpener opener, PrintWriter progress) {
        this.opener = opener;
        this.progress = progress;
    }

    /** Runs the selected cases (all when empty), handing each result over as soon as it is known. */
    public List<Measured> run(Settings settings, Set<String> selected, Consumer<Measured> onResult) {
        var results = new ArrayList<Measured>();
        for (CommandsCase commandsCase : cases()) {
            if (selected.isEmpty() || selected.contains(commandsCase.name())) {
                Measured measured = measure(commandsCase, settings);
                results.add(measured);
                onResult.accept(measured);
            }
        }
        return results;
    }

    private Measured measure(CommandsCase commandsCase, Settings settings) {
        var workloads = new LinkedHashMap<String, Workload>();
        if (commandsCase.hasBaseline()) {
            workloads.put(BASELINE, Workloads.unconditional(CLIENTS));
        }
        commandsCase.comparisons().forEach(comparison -> workloads.put(comparison.name(), comparison.workload()));
        workloads.put("annals", commandsCase.workload());
        var names = new ArrayList<>(workloads.keySet());
        int rounds = commandsCase.hasBaseline() ? settings.rounds() : 1;
        var figures = new LinkedHashMap<String, List<Figure>>();
        var failures = new LinkedHashMap<String, String>();
        for (int round = 0; round < rounds; round++) {
            for (int turn = 0; turn < names.size(); turn++) {
                String name = names.get((turn + round) % names.size());
                if (!failures.containsKey(name)) {
                    measureInto(commandsCase.name(), name, workloads.get(name), settings, round, rounds, figures, failures);
                }
            }
        }
        double annals = median(figures.getOrDefault("annals", List.of()), Figure::perSecond);
        double conflicts = median(figures.getOrDefault("annals", List.of()), Figure::conflictsPerSecond);
        var baselines = new LinkedHashMap<String, Double>();
        for (String name : names) {
            if (!name.equals("annals") && figures.containsKey(name) && !failures.containsKey(name)) {
                baselines.put(name, median(figures.get(name), Figure::perSecond));
            }
        }
        List<Target> targets = commandsCase.hasBaseline()
                ? List.of(new Target.AtLeastTimes(BASELINE, commandsCase.atLeastTimesBaseline())) : List.of();
        return new Measured(new CaseResult(SUITE, commandsCase.name(), Unit.EVENTS_PER_SECOND, annals, baselines, targets, failures),
                conflicts);
    }

    private void measureInto(String caseName, String name, Workload workload, Settings settings, int round, int rounds,
                             Map<String, List<Figure>> figures, Map<String, String> failures) {
        String label = rounds == 1 ? name : name + " (round " + (round + 1) + "/" + rounds + ")";
        progress.printf("[%s] %s ...%n", caseName, label);
        try (OpenedStore store = opener.open(caseName + "-" + name, CLIENTS)) {
            Figure figure = workload.measure(store.store(), settings.warmup(), settings.measure());
            progress.printf("[%s] %s: %,d events/s%s%n", caseName, label, Math.round(figure.perSecond()),
                    Double.isNaN(figure.conflictsPerSecond()) ? "" : String.format(", %,d conflicts/s", Math.round(figure.conflictsPerSecond())));
            figures.computeIfAbsent(name, key -> new ArrayList<>()).add(figure);
        } catch (Exception e) {
            String message = BenchFailures.describe(e);
            progress.printf("[%s] %s FAILED: %s%n", caseName, label, message);
            failures.put(name, message);
        }
    }

    private static double median(List<Figure> figures, java.util.function.ToDoubleFunction<Figure> value) {
        return figures.isEmpty() ? Double.NaN : StoreSuite.median(figures.stream().map(value::applyAsDouble).toList());
    }
}
