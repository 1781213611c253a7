package io.annals.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The projections of a running node, through the {@code projections} module's admin routes. */
@Command(name = "projections", mixinStandardHelpOptions = true,
        description = {"List the projections of a running node, or rebuild one, through its admin routes",
                "(module projections; docs/projections.md). Needs the node's admin key when it has keys."},
        subcommands = {ProjectionsCommand.ListProjections.class, ProjectionsCommand.Rebuild.class})
final class ProjectionsCommand implements Runnable {

    static final String PATH = "/api/projections";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: list or rebuild NAME");
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Show every projection: state, events handled, lag in events and seconds, errors, rebuild progress.")
    static final class ListProjections implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        RemoteNodeOptions node;

        @Override
        public Integer call() throws Exception {
            JsonNode projections;
            try (RemoteNode remote = node.asAdmin()) {
                projections = RemoteNode.require(remote.get(PATH), 200, "--admin-key").json().path("projections");
            }
            PrintWriter out = spec.commandLine().getOut();
            if (projections.isEmpty()) {
                out.println("no projections run on " + node.baseUri());
                return 0;
            }
            var rows = new ArrayList<List<String>>();
            rows.add(List.of("NAME", "STATE", "EVENTS", "LAG", "LAG S", "ERRORS", "REBUILD"));
            for (JsonNode projection : projections) {
                rows.add(List.of(projection.path("name").asText(), projection.path("state").asText(),
                        count(projection.path("eventsHandled").asLong()), count(projection.path("lagEvents").asLong()),
                        String.format(Locale.ROOT, "%.1f", projection.path("lagSeconds").asDouble()),
                        count(projection.path("errors").asLong()),
                        rebuild(projection).map(Progress::describe).orElse("-")));
            }
            out.print(table(rows));
            out.flush();
            return 0;
        }
    }

    @Command(name = "rebuild", mixinStandardHelpOptions = true,
            description = {"Rebuild a projection from the start into new tables, and follow it until it is live again:",
                    "queries keep reading the current tables until the new ones have caught up."})
    static final class Rebuild implements Callable<Integer> {

        private static final Duration POLL = Duration.ofMillis(200);

        @Spec
        CommandSpec spec;

        @Mixin
        RemoteNodeOptions node;

        @Parameters(index = "0", paramLabel = "NAME", description = "The projection (see projections list).")
        String name;

        @Override
        public Integer call() throws Exception {
            long started = System.nanoTime();
            ProgressBar bar = ProgressBar.isTerminal() ? new ProgressBar(spec.commandLine().getErr(), "rebuilding " + name) : null;
            JsonNode status;
            try (RemoteNode remote = node.asAdmin()) {
                String path = PATH + "/" + RemoteNode.segment(name) + "/rebuild";
                status = RemoteNode.require(remote.post(path, ""), 202, "--admin-key").json();
                while (!live(status)) {
                    if (status.path("state").asText().equals("FAILED")) {
                        throw new IllegalStateException("projection " + name + " failed while rebuilding" + lastError(status)
                                + "; see its dead letters (GET /api/dead-letters?projection=" + name + ")");
                    }
                    if (bar != null) {
                        Optional<Progress> progress = rebuild(status);
                        bar.show(progress.map(Progress::fraction).orElse(-1.0),
                                progress.map(Progress::describe).orElse(status.path("state").asText().toLowerCase(Locale.ROOT)));
                    }
                    Thread.sleep(POLL);
                    status = current(remote, name);
                }
            } finally {
                if (bar != null) {
                    bar.finish();
                }
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "rebuilt %s in %.1f s: live, %s events behind%n", name,
                    (System.nanoTime() - started) / 1e9, count(status.path("lagEvents").asLong()));
            return 0;
        }

        /** Caught up on the new tables: the rebuild has swapped them in and the projection follows new events. */
        private static boolean live(JsonNode status) {
            return status.path("state").asText().equals("LIVE") && !status.has("rebuild");
        }

        private static JsonNode current(RemoteNode remote, String name) throws Exception {
            JsonNode projections = RemoteNode.require(remote.get(PATH), 200, "--admin-key").json().path("projections");
            for (JsonNode projection : projections) {
                if (projection.path("name").asText().equals(name)) {
                    return projection;
                }
            }
            throw new IllegalStateException("projection " + name + " is no longer listed by the node");
        }

        private static String lastError(JsonNode status) {
            for (JsonNode partition : status.path("partitions")) {
                if (partition.has("lastError")) {
                    return ": " + partition.get("lastError").asText();
                }
            }
            return "";
        }
    }

    /** A rebuild's progress as the node reports it. */
    record Progress(long eventsDone, long eventsLeft, double eventsPerSecond, Double secondsLeft) {

        double fraction() {
            long all = eventsDone + eventsLeft;
            return all == 0 ? 1.0 : (double) eventsDone / all;
        }

        String describe() {
            return String.format(Locale.ROOT, "%s events, %s left, %s events/s%s", count(eventsDone), count(eventsLeft),
                    count(Math.round(eventsPerSecond)),
                    secondsLeft == null ? "" : String.format(Locale.ROOT, ", %.0f s to go", secondsLeft));
        }
    }

    static Optional<Progress> rebuild(JsonNode projection) {
        JsonNode rebuild = projection.get("rebuild");
        if (rebuild == null || !rebuild.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new Progress(rebuild.path("eventsDone").asLong(), rebuild.path("eventsLeft").asLong(),
                rebuild.path("eventsPerSecond").asDouble(),
                rebuild.has("secondsLeft") ? rebuild.get("secondsLeft").asDouble() : null));
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** Rows as columns padded to their widest cell, the first row the heading. */
    static String table(List<List<String>> rows) {
        int columns = rows.getFirst().size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        var text = new StringBuilder();
        for (List<String> row : rows) {
            var line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(String.format(Locale.ROOT, "%-" + widths[c] + "s", row.get(c)));
                if (c < columns - 1) {
                    line.append("  ");
                }
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }
}
