package io.annals.store.sqlite;

import io.annals.event.Tag;
import io.annals.store.EventQuery;
import io.annals.store.QueryItem;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of an {@link EventQuery}: the positions of matching events after a position, one
 * arm per item. An item with tags starts from {@code event_tags} (its first tag and the
 * position range), checks its other tags there and its types on the event row; an item of
 * types only scans the log after the position. The text depends only on the query's shape
 * (how many items, types and tags), so prepared statements are reused; every value is bound.
 */
final class QueryStatements {

    private static final int FIRST_VALUE = 4;

    private final String positionsSql;
    private final List<String> parameters;

    private QueryStatements(String positionsSql, List<String> parameters) {
        this.positionsSql = positionsSql;
        this.parameters = parameters;
    }

    /** Positions above {@code ?after} and at most {@code ?upTo} of events matching {@code query}. */
    static QueryStatements of(EventQuery query) {
        var sql = new StringBuilder();
        var parameters = new ArrayList<String>();
        for (QueryItem item : query.items()) {
            if (!sql.isEmpty()) {
                sql.append(" UNION ");
            }
            appendItem(sql, parameters, item);
        }
        return new QueryStatements(sql.toString(), parameters);
    }

    private static void appendItem(StringBuilder sql, List<String> parameters, QueryItem item) {
        List<Tag> tags = item.tags().stream().sorted().toList();
        if (tags.isEmpty()) {
            sql.append("SELECT position FROM events WHERE position > ?1 AND position <= ?2");
        } else {
            sql.append("SELECT t.position FROM event_tags t");
            if (!item.types().isEmpty()) {
                sql.append(" JOIN events e ON e.position = t.position");
            }
            sql.append(" WHERE t.tag = ").append(bound(parameters, tags.getFirst().toString()))
                    .append(" AND t.position > ?1 AND t.position <= ?2");
            for (Tag other : tags.subList(1, tags.size())) {
                sql.append(" AND EXISTS (SELECT 1 FROM event_tags o WHERE o.tag = ")
                        .append(bound(parameters, other.toString())).append(" AND o.position = t.position)");
            }
        }
        if (!item.types().isEmpty()) {
            sql.append(tags.isEmpty() ? " AND type IN (" : " AND e.type IN (");
            String separator = "";
            for (String type : item.types().stream().sorted().toList()) {
                sql.append(separator).append(bound(parameters, type));
                separator = ", ";
            }
            sql.append(')');
        }
    }

    /** Adds a value and returns its numbered placeholder; numbers 1 to 3 are the range and the limit. */
    private static String bound(List<String> parameters, String value) {
        parameters.add(value);
        return "?" + (FIRST_VALUE + parameters.size() - 1);
    }

    /** The matching events themselves, in position order, at most {@code ?3} of them. */
    String eventsSql(String columns) {
        return "SELECT " + columns + " FROM events WHERE position IN (" + positionsSql + ") ORDER BY position LIMIT ?3";
    }

    /** The first matching position, or NULL. */
    String firstSql() {
        return "SELECT min(position) FROM (" + positionsSql + ")";
    }

    /**
     * Binds the range, the limit and the query's values.
     */
    void bind(PreparedStatement statement, long after, long upTo, int limit) throws SQLException {
        statement.setLong(1, after);
        statement.setLong(2, upTo);
        statement.setInt(3, limit);
        int index = FIRST_VALUE;
        for (String parameter : parameters) {
            statement.setString(index++, parameter);
        }
    }
}
