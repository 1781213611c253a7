package io.annals.store.postgres;

import io.annals.store.Append;
import io.annals.store.AppendResults;
import io.annals.store.CommandRecord;
import io.annals.store.CommandRecording;
import io.annals.store.RecordedCommand;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;

/**
 * Command records in {@code command_outcomes} (ADR 0009), written in the transaction of the
 * command's append. The record's row is claimed first, by an insert that waits on the primary
 * key for a concurrent transaction claiming the same id: of two dispatches of one command, the
 * second sees the first's committed row, or takes the id over when the first rolled back. The
 * append's statements follow the claim in its round trip and are rolled back with it when the
 * id was taken.
 */
final class CommandRecords {

    private final String claimSql;
    private final String earlierSql;
    private final String resultsSql;
    private final String expireSql;
    private final ConditionalAppend conditionalAppend;

    CommandRecords(SchemaName schema, ConditionalAppend conditionalAppend) {
        String table = schema.qualify("command_outcomes");
        this.conditionalAppend = conditionalAppend;
        this.claimSql = "INSERT INTO " + table + " AS c (command_id, fingerprint, outcome, recorded_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (command_id) DO UPDATE SET fingerprint = excluded.fingerprint, outcome = excluded.outcome, "
                + "results = NULL, recorded_at = excluded.recorded_at WHERE c.recorded_at < ? RETURNING 1";
        this.earlierSql = "SELECT fingerprint, outcome, results, recorded_at FROM " + table + " WHERE command_id = ?";
        this.resultsSql = "UPDATE " + table + " SET results = ? WHERE command_id = ?";
        this.expireSql = "DELETE FROM " + table + " WHERE recorded_at < ?";
    }

    /**
     * Claims the id, appends, stores the results and commits; or rolls back and answers the
     * earlier record. The claim goes in the round trip of the append's locks, check and write.
     */
    CommandRecording record(Connection connection, CommandRecord record, Optional<Append> append,
                            java.time.Instant expiredBefore) throws SQLException {
        Optional<AppendResults> results;
        if (append.isPresent()) {
            var claim = new ConditionalAppend.Guard(claimSql, (statement, first) -> bindClaim(statement, first, record, expiredBefore));
            results = conditionalAppend.runWithoutCommit(connection, append.get(), claim);
            if (results.isEmpty()) {
                return alreadyRecorded(connection, record);
            }
            try (PreparedStatement update = connection.prepareStatement(resultsSql)) {
                update.setString(1, RecordedCommand.resultsText(results.get()));
                update.setObject(2, record.commandId());
                update.executeUpdate();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } else {
            results = Optional.empty();
            try (PreparedStatement statement = connection.prepareStatement(claimSql)) {
                bindClaim(statement, 1, record, expiredBefore);
                try (ResultSet claimed = statement.executeQuery()) {
                    if (!claimed.next()) {
                        return alreadyRecorded(connection, record);
                    }
                }
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
        connection.commit();
        return new CommandRecording.Written(new RecordedCommand(record, results));
    }

    private static int bindClaim(PreparedStatement claim, int first, CommandRecord record, java.time.Instant expiredBefore)
            throws SQLException {
        claim.setObject(first, record.commandId());
        claim.setString(first + 1, record.fingerprint());
        claim.setString(first + 2, record.outcome());
        claim.setTimestamp(first + 3, Timestamp.from(record.recordedAt()));
        claim.setTimestamp(first + 4, Timestamp.from(expiredBefore));
        return first + 5;
    }

    /** The record that kept the id from being claimed, read in a transaction rolled back after. */
    private CommandRecording alreadyRecorded(Connection connection, CommandRecord record) throws SQLException {
        try {
            return new CommandRecording.AlreadyRecorded(earlier(connection, record));
        } finally {
            connection.rollback();
        }
    }

    private RecordedCommand earlier(Connection connection, CommandRecord record) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(earlierSql)) {
            select.setObject(1, record.commandId());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("the record of command " + record.commandId() + " vanished while it was read");
                }
                String results = row.getString(3);
                return new RecordedCommand(new CommandRecord(record.commandId(), row.getString(1), row.getString(2),
                        row.getTimestamp(4).toInstant()), Optional.ofNullable(results).map(RecordedCommand::parseResults));
            }
        }
    }

    long expire(Connection connection, java.time.Instant recordedBefore) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(expireSql)) {
            delete.setTimestamp(1, Timestamp.from(recordedBefore));
            return delete.executeUpdate();
        }
    }
}
