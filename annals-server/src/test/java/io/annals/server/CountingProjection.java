package io.annals.server;

import io.annals.event.RecordedEvent;
import io.annals.projection.Projection;
import io.annals.projection.ReadModel;
import io.annals.projection.Selection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Counts the events of each stream; refuses {@code Poison} events while {@code poisoned} is set. */
public final class CountingProjection implements Projection {
    public final AtomicBoolean poisoned = new AtomicBoolean(true);

    @Override
    public String name() {
        return "counts";
    }

    @Override
    public Selection selection() {
        return Selection.ALL;
    }

    @Override
    public List<String> tables() {
        return List.of("counts");
    }

    @Override
    public void createTables(ReadModel model) throws SQLException {
        try (Statement statement = model.connection().createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + model.table("counts")
                    + " (stream_id TEXT PRIMARY KEY, events INTEGER NOT NULL)");
        }
    }

    @Override
    public void apply(RecordedEvent event, ReadModel model) throws SQLException {
        if (event.type().equals("Poison") && poisoned.get()) {
            throw new IllegalArgumentException("cannot digest " + event.eventId());
        }
        try (PreparedStatement upsert = model.connection().prepareStatement("INSERT INTO " + model.table("counts")
                + " (stream_id, events) VALUES (?, 1) ON CONFLICT (stream_id) DO UPDATE SET events = events + 1")) {
            upsert.setString(1, event.streamId().value());
            upsert.executeUpdate();
        }
    }
}
