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
import java.util.Optional;
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

    /**
     * A statement of the caller's sent first in the append's round trip: the append counts only
     * when the guard answers a row.
     */
    record Guard(String sql, GuardBinding binding) {
    }

    /** Binds the guard's parameters from {@code first} on; returns the next parameter's index. */
    @FunctionalInterface
    interface GuardBinding {
        int bind(PreparedStatement statement, int first) throws SQLException;
    }

    /** Runs {@code append} on {@code connection}, which must not auto-commit; commits or rolls back. */
    AppendResults run(Connection connection, Append append) throws SQLException {
        return run(connection, append, true, null).orElseThrow();
    }

    /**
     * Runs {@code guard} and then {@code append}, in one round trip, in the connection's open
     * transaction, and leaves it open for the caller's further statements; rolls back and answers
     * nothing when the guard answered no row, and rolls back when the append is refused. A repeat
     * of earlier appends is refused too ({@link DuplicateEventException}): the caller's ids must be new.
     */
    Optional<AppendResults> runWithoutCommit(Connection connection, Append append, Guard guard) throws SQLException {
        return run(connection, append, false, guard);
    }

    private Optional<AppendResults> run(Connection connection, Append append, boolean commit, Guard guard)
            throws SQLException {
        var requests = new ArrayList<AppendRequest>(append.writes().size());
        for (StreamWrite write : append.writes()) {
            requests.add(new AppendRequest(write.streamId(), write.expected(), write.events()));
        }
        Checked checked;
        try {
            checked = append.condition().isPresent()
                    ? lockCheckAndAppend(connection, append.condition().get(), append, requests, guard)
                    : appendOnly(connection, requests, guard);
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
        if (!checked.guardPassed()) {
            connection.rollback();
            return Optional.empty();
        }
        if (append.condition().isPresent() && append.condition().get().after().transaction() > checked.transaction()) {
            connection.rollback();
            throw new InvalidAppendException("the condition's position " + append.condition().get().after()
                    + " is after the last event of this store");
        }
        Position conflicting = checked.conflicting();
        List<AppendOutcome> outcomes = checked.outcomes();
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
        return Optional.of(new AppendResults(results));
    }

    /**
     * Whether the guard (if any) answered a row, the transaction's stamp and the first event
     * the condition's check found (with a condition), and what the append function did.
     */
    private record Checked(boolean guardPassed, long transaction, Position conflicting, List<AppendOutcome> outcomes) {
    }

    /** The guard's statement ahead of the others, or nothing. */
    private static String leading(Guard guard) {
        return guard == null ? "" : guard.sql() + ";\n";
    }

    /** Binds the guard's parameters, if any, from 1 on; returns the next parameter's index. */
    private static int bindGuard(PreparedStatement statement, Guard guard) throws SQLException {
        return guard == null ? 1 : guard.binding().bind(statement, 1);
    }

    /** Reads the guard's answer, if any, and moves to the next statement's results. */
    private static boolean guardPassed(PreparedStatement statement, Guard guard) throws SQLException {
        if (guard == null) {
            return true;
        }
        boolean passed;
        try (ResultSet rows = statement.getResultSet()) {
            passed = rows.next();
        }
        statement.getMoreResults();
        return passed;
    }

    /** The append function alone, behind the guard if there is one. */
    private Checked appendOnly(Connection connection, List<AppendRequest> requests, Guard guard) throws SQLException {
        if (guard == null) {
            return new Checked(true, 0, null, appendCall.execute(connection, requests, null));
        }
        try (PreparedStatement statement = connection.prepareStatement(leading(guard) + appendCall.sql())) {
            int p = bindGuard(statement, guard);
            appendCall.bind(statement, connection.unwrap(PGConnection.class), p, requests);
            statement.execute();
            boolean passed = guardPassed(statement, guard);
            try (ResultSet rows = statement.getResultSet()) {
                return new Checked(passed, 0, null, AppendCall.outcomes(requests, rows));
            }
        }
    }

    /**
     * Takes the locks, checks the condition and runs the append function: three statements sent
     * together, in one round trip. Each statement takes its own snapshot when it starts, after the
     * one before it has finished, so the check still runs after the locks were granted and sees
     * everything an earlier holder committed. The append runs whatever the check found, as it
     * would one statement later: a whole retry answers its earlier results, condition or not.
     */
    private Checked lockCheckAndAppend(Connection connection, AppendCondition condition, Append append,
                                       List<AppendRequest> requests, Guard guard) throws SQLException {
        QuerySql matching = QuerySql.committed(condition.failIfEventsMatch(), schema);
        String check = "SELECT pg_current_xact_id()::text::bigint, f.transaction_id, f.sequence FROM (SELECT 1) one"
                + " LEFT JOIN LATERAL (SELECT m.transaction_id, m.sequence FROM (" + matching.positions() + ") m"
                + " ORDER BY m.transaction_id, m.sequence LIMIT 1) f ON true";
        try (PreparedStatement statement = connection.prepareStatement(
                leading(guard) + lockSql + ";\n" + check + ";\n" + appendCall.sql())) {
            int p = bindLocks(statement, connection, bindGuard(statement, guard), condition, append);
            p = matching.bind(statement, connection, p, condition.after());
            appendCall.bind(statement, connection.unwrap(PGConnection.class), p, requests);
            statement.execute();
            boolean passed = guardPassed(statement, guard);
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
            return new Checked(passed, transaction, conflicting, outcomes);
        }
    }

    /**
     * Exclusive locks on one tag of every item of the condition (a matching event carries all
     * of them), or on its types when it has no tags; shared locks on the types and tags of the
     * events written: the two parameters from {@code first} on.
     */
    private static int bindLocks(PreparedStatement statement, Connection connection, int first,
                                 AppendCondition condition, Append append) throws SQLException {
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
        statement.setArray(first, connection.createArrayOf("text", exclusive.toArray()));
        statement.setArray(first + 1, connection.createArrayOf("text", shared.toArray()));
        return first + 2;
    }
}
