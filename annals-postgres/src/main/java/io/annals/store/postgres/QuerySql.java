package io.annals.store.postgres;

import io.annals.event.Position;
import io.annals.event.Tag;
import io.annals.store.EventQuery;
import io.annals.store.QueryItem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of an {@link EventQuery}: the positions of matching events after a position, one arm
 * per item. An item with tags starts from {@code event_tags} (its first tag and the position
 * range), checks its other tags there and its types on the event row; an item of types only
 * scans the events after the position. Every value is a bind parameter, in the order the
 * placeholders appear.
 */
final class QuerySql {

    private sealed interface Value {
    }

    private record After() implements Value {
    }

    private record Text(String value) implements Value {
    }

    private record Texts(List<String> values) implements Value {
    }

    private final String positions;
    private final List<Value> values;

    private QuerySql(String positions, List<Value> values) {
        this.positions = positions;
        this.values = values;
    }

    /** Every committed matching event: the check of an append condition. */
    static QuerySql committed(EventQuery query, SchemaName schema) {
        return of(query, schema, null);
    }

    /** The matching events in the global order: stamped below {@code horizon}, an SQL expression. */
    static QuerySql below(EventQuery query, SchemaName schema, String horizon) {
        return of(query, schema, " < " + horizon);
    }

    /** The committed matching events the global order still holds back: stamped at or above {@code horizon}. */
    static QuerySql heldBack(EventQuery query, SchemaName schema, String horizon) {
        return of(query, schema, " >= " + horizon);
    }

    /**
     * @param stamp a comparison of the events' transaction stamps (" < expression"), or null
     *              for every committed event
     */
    private static QuerySql of(EventQuery query, SchemaName schema, String stamp) {
        var sql = new StringBuilder();
        var values = new ArrayList<Value>();
        for (QueryItem item : query.items()) {
            if (!sql.isEmpty()) {
                sql.append(" UNION ");
            }
            List<Tag> tags = item.tags().stream().sorted().toList();
            String alias = tags.isEmpty() ? "e" : "t";
            if (tags.isEmpty()) {
                sql.append("SELECT e.transaction_id, e.sequence FROM ").append(schema.qualify("events")).append(" e");
            } else {
                sql.append("SELECT t.transaction_id, t.sequence FROM ").append(schema.qualify("event_tags")).append(" t");
                if (!item.types().isEmpty()) {
                    sql.append(" JOIN ").append(schema.qualify("events"))
                            .append(" e ON e.transaction_id = t.transaction_id AND e.sequence = t.sequence");
                }
            }
            sql.append(" WHERE (").append(alias).append(".transaction_id, ").append(alias).append(".sequence) > (?, ?)");
            values.add(new After());
            if (stamp != null) {
                sql.append(" AND ").append(alias).append(".transaction_id").append(stamp);
            }
            if (!tags.isEmpty()) {
                sql.append(" AND t.tag = ?");
                values.add(new Text(tags.getFirst().toString()));
                for (Tag other : tags.subList(1, tags.size())) {
                    sql.append(" AND EXISTS (SELECT 1 FROM ").append(schema.qualify("event_tags"))
                            .append(" o WHERE o.tag = ? AND o.transaction_id = t.transaction_id AND o.sequence = t.sequence)");
                    values.add(new Text(other.toString()));
                }
            }
            if (!item.types().isEmpty()) {
                sql.append(" AND e.type = ANY (?)");
                values.add(new Texts(item.types().stream().sorted().toList()));
            }
        }
        return new QuerySql(sql.toString(), values);
    }

    /** Matching positions, as a subquery with columns {@code transaction_id, sequence}. */
    String positions() {
        return positions;
    }

    /** Binds the query's values from parameter {@code first} on; returns the next parameter's index. */
    int bind(PreparedStatement statement, Connection connection, int first, Position after) throws SQLException {
        int p = first;
        for (Value value : values) {
            switch (value) {
                case After a -> {
                    statement.setLong(p++, after.transaction());
                    statement.setLong(p++, after.sequence());
                }
                case Text(String text) -> statement.setString(p++, text);
                case Texts(List<String> texts) -> statement.setArray(p++, connection.createArrayOf("text", texts.toArray()));
            }
        }
        return p;
    }
}
