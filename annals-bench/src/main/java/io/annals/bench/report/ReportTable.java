package io.annals.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Renders results as a Markdown table: each baseline with the ratio annals/baseline, and the verdict. */
public final class ReportTable {

    private ReportTable() {
    }

    public static String render(List<CaseResult> results) {
        var baselineNames = new LinkedHashSet<String>();
        results.forEach(result -> baselineNames.addAll(result.baselines().keySet()));
        var header = new ArrayList<String>(List.of("case", "unit", "annals"));
        for (String name : baselineNames) {
            header.add(name);
            header.add("annals/" + name);
        }
        header.add("target");
        header.add("met");
        var rows = new ArrayList<List<String>>();
        for (CaseResult result : results) {
            var row = new ArrayList<String>(List.of(result.caseName(), result.unit().label(),
                    format(result.annals(), result.unit())));
            for (String name : baselineNames) {
                Double value = result.baselines().get(name);
                row.add(value == null ? "-" : format(value, result.unit()));
                row.add(value == null || value == 0 || Double.isNaN(result.annals()) ? "-" : String.format(Locale.ROOT, "%.2fx", result.ratio(name)));
            }
            row.add(result.targets().stream().map(target -> target.describe(result.unit()))
                    .collect(Collectors.joining(", ")));
            row.add(verdict(result));
            rows.add(row);
        }
        return markdown(header, rows);
    }

    private static String verdict(CaseResult result) {
        if (result.failed()) {
            return "FAILED: " + result.failures().entrySet().stream()
                    .map(failure -> failure.getKey() + ": " + failure.getValue())
                    .collect(Collectors.joining("; "));
        }
        if (result.targets().isEmpty()) {
            return "-";
        }
        var missed = result.missedTargets();
        if (missed.isEmpty()) {
            return "yes";
        }
        return "MISSED: " + missed.stream().map(target -> target.describe(result.unit()))
                .collect(Collectors.joining(", "));
    }

    public static String format(double value, Unit unit) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return unit.whole()
                ? String.format(Locale.ROOT, "%,d", Math.round(value))
                : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String markdown(List<String> header, List<List<String>> rows) {
        var widths = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        var out = new StringBuilder();
        appendRow(out, header, widths);
        var separator = new ArrayList<String>();
        for (int width : widths) {
            separator.add("-".repeat(width));
        }
        appendRow(out, separator, widths);
        rows.forEach(row -> appendRow(out, row, widths));
        return out.toString();
    }

    private static void appendRow(StringBuilder out, List<String> cells, int[] widths) {
        out.append('|');
        for (int i = 0; i < cells.size(); i++) {
            out.append(' ').append(String.format(Locale.ROOT, "%-" + widths[i] + "s", cells.get(i))).append(" |");
        }
        out.append('\n');
    }
}
