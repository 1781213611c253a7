package io.annals.examples.user;

import io.annals.event.RecordedEvent;
import io.annals.examples.user.UserEvent.UserEmailChanged;
import io.annals.examples.user.UserEvent.UserLocked;
import io.annals.examples.user.UserEvent.UserLoggedIn;
import io.annals.examples.user.UserEvent.UserLoginFailed;
import io.annals.examples.user.UserEvent.UserRegistered;
import io.annals.examples.user.UserEvent.UserUnlocked;
import io.annals.projection.Projection;
import io.annals.projection.ReadModel;
import io.annals.projection.Selection;
import io.annals.serialization.EventSerializer;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The users as a table, for queries ({@link UserQueries}): the seed's {@code UserProjection}, with
 * a checkpoint that commits with each change. Not used to decide anything: an address is unique
 * because {@link UserAccounts} decides over the events, not because of this table.
 */
public final class UserDirectory implements Projection {

    public static final String NAME = "user-directory";
    static final String TABLE = "users";
    static final String ACTIVE = "ACTIVE";
    static final String LOCKED = "LOCKED";

    private final EventSerializer serializer;

    public UserDirectory(EventSerializer serializer) {
        this.serializer = serializer;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Selection selection() {
        return Selection.types("UserRegistered", "UserEmailChanged", "UserLocked", "UserUnlocked")
                .andStreamPrefix(UserModule.CATEGORY + "-");
    }

    @Override
    public List<String> tables() {
        return List.of(TABLE);
    }

    @Override
    public void createTables(ReadModel model) throws SQLException {
        String users = model.table(TABLE);
        try (Statement statement = model.connection().createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + users + " (user_id TEXT PRIMARY KEY, email TEXT NOT NULL,"
                    + " name TEXT NOT NULL, status TEXT NOT NULL, registered_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)");
            statement.execute("CREATE INDEX IF NOT EXISTS " + model.index(TABLE, "email") + " ON " + users + " (email)");
            statement.execute("CREATE INDEX IF NOT EXISTS " + model.index(TABLE, "registered") + " ON " + users
                    + " (registered_at, user_id)");
        }
    }

    @Override
    public void apply(RecordedEvent event, ReadModel model) throws SQLException {
        String users = model.table(TABLE);
        switch ((UserEvent) serializer.deserialize(event)) {
            case UserRegistered registered -> {
                try (PreparedStatement insert = model.connection().prepareStatement("INSERT INTO " + users
                        + " (user_id, email, name, status, registered_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, registered.userId());
                    insert.setString(2, registered.email());
                    insert.setString(3, registered.name());
                    insert.setString(4, ACTIVE);
                    insert.setLong(5, event.recordedAt().toEpochMilli());
                    insert.setLong(6, event.recordedAt().toEpochMilli());
                    insert.executeUpdate();
                }
            }
            case UserEmailChanged changed -> update(model, event, "email", changed.newEmail(), changed.userId());
            case UserLocked locked -> update(model, event, "status", LOCKED, locked.userId());
            case UserUnlocked unlocked -> update(model, event, "status", ACTIVE, unlocked.userId());
            case UserLoggedIn login -> {
                // not selected: logins change nothing the directory shows
            }
            case UserLoginFailed failure -> {
            }
        }
    }

    /** Sets one column ({@code column} is one of this class's own names, never input) and the time of the change. */
    private static void update(ReadModel model, RecordedEvent event, String column, String value, String userId) throws SQLException {
        try (PreparedStatement update = model.connection().prepareStatement("UPDATE " + model.table(TABLE)
                + " SET " + column + " = ?, updated_at = ? WHERE user_id = ?")) {
            update.setString(1, value);
            update.setLong(2, event.recordedAt().toEpochMilli());
            update.setString(3, userId);
            update.executeUpdate();
        }
    }
}
