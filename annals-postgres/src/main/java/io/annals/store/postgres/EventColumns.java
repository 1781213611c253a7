package io.annals.store.postgres;

import io.annals.event.EventData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * One request's events as the five arrays the single-request statements take, in this order:
 * event ids, types, data, metadata, occurred-at.
 */
record EventColumns(UUID[] ids, String[] types, String[] data, String[] metadata, String[] occurredAt) {

    static EventColumns of(List<EventData> events) {
        int count = events.size();
        var columns = new EventColumns(new UUID[count], new String[count], new String[count], new String[count],
                new String[count]);
        for (int e = 0; e < count; e++) {
            EventData event = events.get(e);
            columns.ids[e] = event.eventId();
            columns.types[e] = event.type();
            columns.data[e] = event.data();
            columns.metadata[e] = MetadataJson.write(event.metadata());
            columns.occurredAt[e] = event.occurredAt() == null ? null : event.occurredAt().toString();
        }
        return columns;
    }

    /** Binds the five arrays from parameter {@code first} on; returns the next parameter's index. */
    int bind(PreparedStatement statement, PGConnection pg, int first) throws SQLException {
        int p = first;
        statement.setArray(p++, pg.createArrayOf("uuid", ids));
        statement.setArray(p++, pg.createArrayOf("text", types));
        statement.setArray(p++, pg.createArrayOf("text", data));
        statement.setArray(p++, pg.createArrayOf("text", metadata));
        statement.setArray(p++, pg.createArrayOf("timestamptz", occurredAt));
        return p;
    }
}
