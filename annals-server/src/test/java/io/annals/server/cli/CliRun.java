package io.annals.server.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One run of the {@code annals} command line in this process: its exit code and what it printed. */
record CliRun(int code, String out, String err) {

    static CliRun annals(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = AnnalsCommand.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }
}
