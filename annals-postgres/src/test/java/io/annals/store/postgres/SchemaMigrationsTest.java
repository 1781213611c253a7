package io.annals.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.store.AppendResult;
import io.annals.store.EventStoreUnavailableException;
import io.annals.store.ExpectedVersion;
import io.annals.store.postgres.testing.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The schema's migrations: released ones stay as released, and a released schema moves to the latest. */
class SchemaMigrationsTest {

    private static final String LOCATION = "io/annals/store/postgres/migration/";

    private final TestPostgres postgres = TestPostgres.get();
    private final List<String> schemas = new ArrayList<>();

    @AfterEach
    void dropSchemas() {
        schemas.forEach(postgres::dropSchema);
    }

    /**
     * A released migration is never edited: a schema that ran it would fail Flyway's validation
     * on the next start. What changes goes into a new migration.
     */
    @ParameterizedTest
    @CsvSource({
            "V1__event_store.sql, b0864eb933158c0eb402dad119d92d6811129dbee01747b682b6cdcb4aab92d7",
            "V2__append_functions_never_scan_tables.sql, 8bd4bcd565a8af6786729baa74e64abca288971c9ec0ed66236321ce573cdb73",
            "V3__append_events_advances_streams_in_one_step.sql, 41b0e042b040417ba7042123d54b9026c2cc067bb6aebafe3469acf518172b43",
            "V4__one_append_definition.sql, 9215f0002487312c8cd0d832892cf8ea3e35c089f11e4afccdb6962e564bde75",
            "V5__tags_and_append_conditions.sql, fc5a46a79c98aad4172841dad377667e98a27566eff06a8514a57ec73f786994",
            "V6__command_outcomes.sql, 65c990a0d9aabc98266c45f2eceb0b412448c72de2f1f98f25366ca805f3bb59",
            "V7__projections.sql, 45b164e6789f7f8ecb6acd9b98f85bee6fe25b0690a17c946aaec3b2b71f8878"
    })
    void releasedMigrationsAreAsReleased(String file, String sha256) throws IOException, NoSuchAlgorithmException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(LOCATION + file)) {
            assertThat(in).as(file).isNotNull();
            String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
            assertThat(actual).as("%s was edited after its release; put the change in a new migration", file)
                    .isEqualTo(sha256);
        }
    }

    @Test
    void aStoreDoesNotStartOnASchemaWhoseMigrationsDifferFromTheReleasedOnes() throws SQLException {
        String schema = freshSchema("validated");
        PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).build().close();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE " + schema + ".annals_schema_history SET checksum = checksum + 1"
                    + " WHERE version = '1'");
        }

        assertThatThrownBy(() -> PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).build())
                .isInstanceOf(EventStoreUnavailableException.class)
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void aSchemaOfTheLastReleaseKeepsItsEventsAndRecognisesTheirRetries() throws SQLException {
        String schema = freshSchema("upgraded");
        Flyway.configure(getClass().getClassLoader()).dataSource(postgres.jdbcUrl(), null, null)
                .schemas(schema).defaultSchema(schema).locations("classpath:" + LOCATION)
                .table("annals_schema_history").target("3").load().migrate();
        UUID written = UUID.randomUUID();
        try (Connection connection = postgres.connect();
             PreparedStatement statement = connection.prepareStatement("SELECT status, version FROM " + schema
                     + ".append_stream('order-1', -1, ?, '{Placed}', '{\"{}\"}', '{NULL}', '{NULL}')")) {
            statement.setArray(1, connection.createArrayOf("uuid", new UUID[]{written}));
            try (ResultSet row = statement.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getInt(1)).as("written by the released function").isZero();
            }
        }

        try (var store = PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).build()) {
            var event = EventData.of("Placed", "{}").withEventId(written);
            AppendResult retried = store.append(StreamId.of("order-1"), ExpectedVersion.noStream(), List.of(event));
            assertThat(retried.nextExpectedVersion()).isZero();
            assertThat(store.append(StreamId.of("order-1"), ExpectedVersion.exact(0),
                    List.of(EventData.of("Shipped", "{}"))).nextExpectedVersion()).isEqualTo(1);
            assertThat(functions(schema)).containsExactlyInAnyOrder(
                    "append_events", "expected_version_holds", "visible_version", "lock_for_condition");
        }
    }

    @Test
    void theJavaNamesOfExpectedVersionsAreTheSchemasNames() throws SQLException {
        String schema = freshSchema("names");
        PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).build().close();
        List<String> javaNames = Stream.of(ExpectedVersion.any(), ExpectedVersion.noStream(),
                ExpectedVersion.streamExists(), ExpectedVersion.exact(3)).map(AppendRequest::label).toList();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT enum_range(NULL::" + schema + ".expected_version)::text[]")) {
            row.next();
            assertThat((String[]) row.getArray(1).getArray()).containsExactlyElementsOf(javaNames);
        }
    }

    private String freshSchema(String hint) {
        String schema = postgres.freshSchema(hint);
        schemas.add(schema);
        return schema;
    }

    private List<String> functions(String schema) throws SQLException {
        try (Connection connection = postgres.connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ?")) {
            statement.setString(1, schema);
            var names = new ArrayList<String>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        }
    }
}
