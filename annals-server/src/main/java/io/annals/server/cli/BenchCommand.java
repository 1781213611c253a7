package io.annals.server.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * Listed so that {@code annals --help} names every command: the benchmarks live in their own
 * jar (annals-bench, with JMH), which the {@code ./annals} launcher runs for {@code bench}.
 */
@Command(name = "bench", description = {"Run the benchmarks, each figure beside its baseline (docs/benchmarks.md).",
        "Run through the launcher, which starts the annals-bench jar: ./annals bench --help."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Unmatched
    List<String> arguments;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("annals: bench runs from the annals-bench jar; use the launcher: ./annals bench "
                + String.join(" ", arguments == null ? List.of() : arguments));
        return 2;
    }
}
