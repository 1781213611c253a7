package io.annals.examples.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annals.commands.CommandBus;
import io.annals.examples.user.UserCommand.ChangeEmail;
import io.annals.examples.user.UserCommand.RegisterUser;
import io.annals.examples.user.UserQueries.UserView;
import io.annals.projection.ProjectionOptions;
import io.annals.projection.ProjectionRuntime;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.store.jdbc.JdbcEventStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seed's user queries over a table the user directory projection keeps, on SQLite and PostgreSQL. */
class UserQueriesTest {

    @TempDir
    Path directory;

    private final EventSerializer serializer = new EventSerializer(UserModule.register(new EventTypeRegistry()));
    private RealStores stores;

    @BeforeEach
    void stores() {
        stores = new RealStores(directory);
    }

    @AfterEach
    void dropSchemas() {
        stores.dropSchemas();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void findByIdByEmailAndPagesWithTheTotal(String kind) {
        try (JdbcEventStore store = stores.openJdbc(kind);
             var runtime = ProjectionRuntime.builder(store).build()) {
            CommandBus bus = UserCommands.bus(store, serializer);
            for (int i = 0; i < 7; i++) {
                bus.dispatch(new RegisterUser("u" + i, "U" + i + "@Example.com", "User " + i));
            }
            bus.dispatch(new ChangeEmail("u3", "three@example.com"));
            runtime.register(new UserDirectory(serializer), ProjectionOptions.DEFAULTS.withPartitions(2));
            runtime.start();
            var queries = new UserQueries(store);

            await().until(() -> queries.findByEmail("three@example.com").isPresent());
            assertThat(queries.findById("u3")).hasValueSatisfying(user -> {
                assertThat(user).extracting(UserView::userId, UserView::email, UserView::name, UserView::status)
                        .containsExactly("u3", "three@example.com", "User 3", "ACTIVE");
                assertThat(user.lastUpdated()).isAfterOrEqualTo(user.registeredAt());
            });
            assertThat(queries.findByEmail("u3@example.com")).isEmpty();
            assertThat(queries.findByEmail("U5@EXAMPLE.com")).map(UserView::userId).contains("u5");

            bus.dispatch(new UserCommand.LockUser("u5", "test"));
            await().until(() -> queries.findById("u5").map(UserView::status).orElseThrow().equals("LOCKED"));
            assertThat(queries.findById("nobody")).isEqualTo(Optional.empty());

            var first = queries.findAll(0, 3);
            var last = queries.findAll(2, 3);
            assertThat(first.total()).isEqualTo(7);
            assertThat(first.users()).extracting(UserView::userId).containsExactly("u0", "u1", "u2");
            assertThat(last.users()).extracting(UserView::userId).containsExactly("u6");
            assertThat(queries.findAll(3, 3).users()).isEmpty();

            bus.dispatch(new RegisterUser("u7", "u7@example.com", "User 7"));
            await().until(() -> queries.findAll(0, 1).total() == 8);
            assertThatThrownBy(() -> queries.findAll(0, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> queries.findAll(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
