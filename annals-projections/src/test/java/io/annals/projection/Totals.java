package io.annals.projection;

import io.annals.event.RecordedEvent;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test projection: per stream the sum of the amounts, the number of events and the last version
 * applied. It refuses an event whose version is not the next one, so that reordering or a double
 * application shows as a failure; {@code failing} makes it throw for chosen events.
 */
class Totals implements Projection {

    private static final Pattern AMOUNT = Pattern.compile("\"amount\":(-?\\d+)");

    private final String name;
    private final Selection selection;
    volatile Predicate<RecordedEvent> failing = event -> false;
    /** Runs before each event is applied, inside its transaction: a test can hold the handler here. */
    volatile BiConsumer<RecordedEvent, ReadModel> before = (event, model) -> { };
    private final long factor;

    Totals(String name, Selection selection) {
        this(name, selection, 1);
    }

    /** A version of the handler that counts each amount {@code factor} times: a changed read model. */
    Totals(String name, Selection selection, long factor) {
        this.name = name;
        this.selection = selection;
        this.factor = factor;
    }

    static String amount(long amount) {
        return "{\"amount\":" + amount + "}";
    }

    static long amountOf(RecordedEvent event) {
        Matcher matcher = AMOUNT.matcher(event.data());
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Selection selection() {
        return selection;
    }

    @Override
    public List<String> tables() {
        return List.of("totals");
    }

    @Override
    public void createTables(ReadModel model) throws SQLException {
        try (Statement statement = model.connection().createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + model.table("totals")
                    + " (stream_id TEXT PRIMARY KEY, total BIGINT NOT NULL, events BIGINT NOT NULL, version BIGINT NOT NULL)");
        }
    }

    @Override
    public void apply(RecordedEvent event, ReadModel model) throws Exception {
        before.accept(event, model);
        if (failing.test(event)) {
            throw new IllegalStateException("refused " + event.streamId() + "@" + event.version());
        }
        String table = model.table("totals");
        try (PreparedStatement update = model.connection().prepareStatement("UPDATE " + table
                + " SET total = total + ?, events = events + 1, version = ? WHERE stream_id = ? AND version = ?")) {
            update.setLong(1, amountOf(event) * factor);
            update.setLong(2, event.version());
            update.setString(3, event.streamId().value());
            update.setLong(4, event.version() - 1);
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert = model.connection().prepareStatement("INSERT INTO " + table
                + " (stream_id, total, events, version) VALUES (?, ?, 1, ?)")) {
            insert.setString(1, event.streamId().value());
            insert.setLong(2, amountOf(event) * factor);
            insert.setLong(3, event.version());
            insert.executeUpdate();
        }
    }
}
