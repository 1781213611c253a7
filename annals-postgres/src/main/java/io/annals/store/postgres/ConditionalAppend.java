package io.annals.store.postgres;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.Tag;
import io.annals.store.Append;
import io.annals.store.AppendCondition;
import io.annals.store.AppendConditionFailedException;
import io.annals.store.AppendResult;
import io.annals.store.AppendResults;
import io.annals.store.DuplicateEventException;
import io.annals.store.InvalidAppendException;
import io.annals.store.QueryItem;
import io.annals.store.StreamWrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.postgresql.PGConnection;

/**
 * An append to several streams, or under a condition, in a transaction of its own (ADR 0008):
 * take the condition's locks, check the condition in the next statement, run the one append
 * function for every stream (the three sent in one round trip), and commit only if every
 * stream was written. A whole retry (every
 * stream repeats an earlier append) answers the earlier results, condition or not.
 */
final class ConditionalAppend {

    private final SchemaName schema;
    private final AppendCall appendCall;
    private final String lockSql;

    ConditionalAppend(SchemaName schema, AppendCall appendCall) {
        this.schema = schema;
        this.appendCall = appendCall;
        this.lockSql = "SELECT " + schema.qualify("lock_for_condition") + "(?::text[], ?::text[])";
    }

    /** Runs {@code append} on {@code connection}, which must not auto-commit; commits or rolls back. */
    AppendResults run(Connection connection, Append append) throws SQLException {
        return run(connection, append, true);
    }

    /**
     * Runs {@code append} in the connection's open transaction and leaves it open for the
     * caller's further statements; rolls back when the append is refused. A repeat of earlier
     * appends is refused too ({@link DuplicateEventException}): the caller's ids must be new.
     */
    AppendResults runWithoutCommit(Connection connection, Append append) throws SQLException {
        return run(connection, append, false);
    }

    private AppendResults run(Connection connection, Append append, boolean commit) throws SQLException {
        var requests = new ArrayList<AppendRequest>(append.writes().size());
        for (StreamWrite write : append.writes()) {
            requests.add(new AppendRequest(write.streamId(), write.expected(), write.events()));
        }
        Position conflicting = null;
        List<AppendOutcome> outcomes;
        try {
            if (append.condition().isPresent()) {
                Checked checked = lockCheckAndAppend(connection, append.condition().get(), append, requests);
                conflicting = checked.conflicting();
                outcomes = checked.outcomes();
            } else {
                outcomes = appendCall.execute(connection, requests, null);
            }
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
        var results = new ArrayList<AppendResult>(outcomes.size());
        boolean allRepeated = commit && outcomes.stream().allMatch(o -> o instanceof AppendOutcome.Repeated);
        if (!allRepeated) {
            if (conflicting != null) {
                connection.rollback();
                throw new AppendConditionFailedException(append.condition().get(), conflicting);
            }
            for (int i = 0; i < outcomes.size(); i++) {
                AppendOutcome outcome = outcomes.get(i);
                AppendRequest request = requests.get(i);
                if (outcome instanceof AppendOutcome.Repeated) {
                    connection.rollback();
                    throw new DuplicateEventException(request.streamId(), request.events().getFirst().eventId());
                }
                if (!(outcome instanceof AppendOutcome.Written)) {
                    connection.rollback();
                    outcome.resultOrThrow(request.streamId(), request.expected());
                }
            }
        }
        for (int i = 0; i < outcomes.size(); i++) {
            results.add(outcomes.get(i).resultOrThrow(requests.get(i).streamId(), requests.get(i).expected()));
        }
        if (allRepeated) {
            connection.rollback();
        } else if (commit) {
            connection.commit();
        }
        return new AppendResults(results);
    }

    /** What the condition's check found, and what the append function did. */
    private record Checked(Position conflicting, List<AppendOutcome> outcomes) {
    }

    /**
     * Takes the locks, checks the condition and runs the append function: three statements sent
     * together, in one round trip. Each statement takes its own snapshot when it starts, after the
     * one before it has finished, so the check still runs after the locks were granted and sees
     * everything an earlier holder committed. The append runs whatever the check found, as it
     * would one statement later: a whole retry answers its earlier results, condition or not.
     */
    private Checked lockCheckAndAppend(Connection connection, AppendCondition condition, Append append,
                                       List<AppendRequest> requests) throws SQLException {
        QuerySql matching = QuerySql.committed(condition.failIfEventsMatch(), schema);
        String check = "SELECT pg_current_xact_id()::text::bigint, f.transaction_id, f.sequence FROM (SELECT 1) one"
                + " LEFT JOIN LATERAL (SELECT m.transaction_id, m.sequence FROM (" + matching.positions() + ") m"
                + " ORDER BY m.transaction_id, m.sequence LIMIT 1) f ON true";
        try (PreparedStatement statement = connection.prepareStatement(lockSql + ";\n" + check + ";\n" + appendCall.sql())) {
            bindLocks(statement, connection, condition, append);
            int p = matching.bind(statement, connection, 3, condition.after());
            appendCall.bind(statement, connection.unwrap(PGConnection.class), p, requests);
            statement.execute();
            statement.getMoreResults();
            long transaction;
            Position conflicting;
            try (ResultSet row = statement.getResultSet()) {
                row.next();
                transaction = row.getLong(1);
                conflicting = row.getObject(2) == null ? null : new Position(row.getLong(2), row.getLong(3));
            }
            statement.getMoreResults();
            List<AppendOutcome> outcomes;
            try (ResultSet rows = statement.getResultSet()) {
                outcomes = AppendCall.outcomes(requests, rows);
            }
            if (condition.after().transaction() > transaction) {
                connection.rollback();
                throw new InvalidAppendException("the condition's position " + condition.after()
                        + " is after the last event of this store");
            }
            return new Checked(conflicting, outcomes);
        }
    }

    /**
     * Exclusive locks on one tag of every item of the condition (a matching event carries all
     * of them), or on its types when it has no tags; shared locks on the types and tags of the
     * events written: parameters 1 and 2.
     */
    private static void bindLocks(PreparedStatement statement, Connection connection, AppendCondition condition,
                                  Append append) throws SQLException {
        var exclusive = new TreeSet<String>();
        for (QueryItem item : condition.failIfEventsMatch().items()) {
            if (item.tags().isEmpty()) {
                item.types().forEach(type -> exclusive.add("type:" + type));
            } else {
                exclusive.add("tag:" + item.tags().stream().sorted().findFirst().orElseThrow());
            }
        }
        var shared = new TreeSet<String>();
        for (StreamWrite write : append.writes()) {
            for (EventData event : write.events()) {
                shared.add("type:" + event.type());
                for (Tag tag : event.tags()) {
                    shared.add("tag:" + tag);
                }
            }
        }
        statement.setArray(1, connection.createArrayOf("text", exclusive.toArray()));
        statement.setArray(2, connection.createArrayOf("text", shared.toArray()));
    }
}
