package io.annals.store;

import io.annals.event.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link CommandRecord} as the store holds it.
 *
 * @param results what the append written with the record returned, empty when the command
 *                appended nothing
 */
public record RecordedCommand(CommandRecord record, Optional<AppendResults> results) {

    public RecordedCommand {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(results, "results");
    }

    /** Append results as one line of text, {@code version@position} per stream, for stores that keep them in a column. */
    public static String resultsText(AppendResults results) {
        var text = new StringBuilder();
        for (AppendResult result : results.streams()) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(result.nextExpectedVersion()).append('@').append(result.position());
        }
        return text.toString();
    }

    /** Reads what {@link #resultsText} wrote. */
    public static AppendResults parseResults(String text) {
        var results = new ArrayList<AppendResult>();
        for (String part : text.split(",")) {
            int at = part.indexOf('@');
            if (at < 1) {
                throw new IllegalArgumentException("not a recorded append result: '" + part + "'");
            }
            results.add(new AppendResult(Long.parseLong(part.substring(0, at)), Position.parse(part.substring(at + 1))));
        }
        return new AppendResults(List.copyOf(results));
    }
}
