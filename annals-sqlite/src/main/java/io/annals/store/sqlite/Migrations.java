package io.annals.store.sqlite;

import io.annals.store.sqlite.SqliteOpenException.Problem;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Identifies the file and brings its schema up to date. Version {@code n} of the schema is the
 * resource {@code migrations/V<n>.sql}; {@code PRAGMA user_version} records the last one applied,
 * and {@code PRAGMA application_id} marks the file as an Annals store, so that a file of another
 * application is refused instead of getting our tables added to it.
 */
final class Migrations {

    /** "ANNL" in ASCII. */
    static final int APPLICATION_ID = 0x414E4E4C;
    static final int LATEST_VERSION = 6;

    private Migrations() {
    }

    /** Checks that {@code connection}'s file is empty or an Annals store, then migrates it; one transaction. */
    static void identifyAndMigrate(Connection connection, Path file) throws SQLException {
        int applicationId = pragmaInt(connection, "PRAGMA application_id");
        int schemaVersion = pragmaInt(connection, "PRAGMA user_version");
        int objects = countSchemaObjects(connection);
        boolean fresh = applicationId == 0 && schemaVersion == 0 && objects == 0;
        if (!fresh && applicationId != APPLICATION_ID) {
            throw new SqliteOpenException(file, Problem.FOREIGN, "it is an SQLite database of another application ("
                    + objects + " schema objects, application_id " + applicationId
                    + ", no Annals marker); it was left unchanged. Point Annals at a new or empty file");
        }
        if (schemaVersion > LATEST_VERSION) {
            throw new SqliteOpenException(file, Problem.NEWER_SCHEMA, "its schema version is " + schemaVersion
                    + " but this version of Annals knows versions up to " + LATEST_VERSION + "; upgrade Annals");
        }
        if (schemaVersion == LATEST_VERSION) {
            return;
        }
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            if (fresh) {
                statement.execute("PRAGMA application_id = " + APPLICATION_ID);
            }
            for (int version = schemaVersion + 1; version <= LATEST_VERSION; version++) {
                for (String sql : statements(loadScript(version))) {
                    statement.execute(sql);
                }
                statement.execute("PRAGMA user_version = " + version);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static int pragmaInt(Connection connection, String pragma) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(pragma)) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    private static int countSchemaObjects(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM sqlite_schema")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static String loadScript(int version) {
        String name = "migrations/V" + version + ".sql";
        try (InputStream in = Migrations.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("migration resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration " + name, e);
        }
    }

    /** Splits a script of our own (no triggers, no semicolons in literals) into statements. */
    static List<String> statements(String script) {
        var withoutComments = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                withoutComments.append(line).append('\n');
            }
        }
        var result = new ArrayList<String>();
        for (String part : withoutComments.toString().split(";")) {
            if (!part.isBlank()) {
                result.add(part.strip());
            }
        }
        return result;
    }
}
