package io.annals.server.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Drive the user API of a running node (module users) with realistic traffic: registrations,",
                "logins, email changes, and bursts of failed logins that trip the CEP pattern. Open loop: requests go",
                "out at --rate whether or not the node keeps up, and each latency runs from when its request was due.",
                "Ends with the requests sent, the errors by kind and the p50 and p99 latencies of each call;",
                "exits with 1 when any request failed."})
final class LoadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RemoteNodeOptions node;

    @Option(names = "--users", required = true, paramLabel = "N",
            description = "Users to register; the other calls go to those registered so far.")
    int users;

    @Option(names = "--rate", required = true, paramLabel = "R", description = "Requests per second.")
    double rate;

    @Option(names = "--duration", defaultValue = "1m", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to send (default: ${DEFAULT-VALUE}; 30s, 5m, PT1H): rate x duration requests in all.")
    Duration duration;

    @Option(names = "--max-in-flight", defaultValue = "1000", paramLabel = "N",
            description = "Requests waiting for answers beyond which a due request is not sent but counted as an error "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--seed", paramLabel = "SEED",
            description = "Seed of the traffic's choices (default: a random one, printed at the end), to repeat a run's mix.")
    Long seed;

    @Override
    public Integer call() throws Exception {
        if (users < 1 || !(rate > 0) || rate > 1_000_000 || duration.isNegative() || duration.isZero() || maxInFlight < 1) {
            throw new ParameterException(spec.commandLine(), "--users and --max-in-flight must be at least 1, --rate above 0 "
                    + "(and at most 1,000,000), --duration above 0");
        }
        long chosenSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        ProgressBar bar = ProgressBar.isTerminal() ? new ProgressBar(spec.commandLine().getErr(), "load") : null;
        LoadRun.Outcome outcome;
        try (RemoteNode remote = node.asUser()) {
            outcome = new LoadRun(remote, users, rate, duration, chosenSeed, maxInFlight, bar).run();
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        LoadRecorder recorder = outcome.recorder();
        out.printf(Locale.ROOT, "load on %s: %s requests in %.1f s (%.1f/s; asked %s/s), %s errors; seed %d%n",
                node.baseUri(), ProjectionsCommand.count(recorder.requests()), outcome.seconds(),
                recorder.requests() / outcome.seconds(), plain(rate), ProjectionsCommand.count(recorder.errors()), chosenSeed);
        out.printf(Locale.ROOT, "users: %s registered (of %s); %s bursts of failed logins on %s users, each a CEP alert%n",
                ProjectionsCommand.count(outcome.registered()), ProjectionsCommand.count(users),
                ProjectionsCommand.count(outcome.bursts()), ProjectionsCommand.count(outcome.burstUsers()));
        out.print(recorder.render());
        out.flush();
        if (outcome.stopped().isPresent()) {
            throw new IllegalStateException(outcome.stopped().get());
        }
        if (recorder.errors() > 0) {
            throw new IllegalStateException(ProjectionsCommand.count(recorder.errors()) + " of "
                    + ProjectionsCommand.count(recorder.requests()) + " requests failed");
        }
        return 0;
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? ProjectionsCommand.count((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
