package io.annals.examples.user;

import io.annals.store.jdbc.JdbcEventStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The query side of the user example: the seed's {@code UserQueryRepository} over the table
 * {@link UserDirectory} keeps. Answers are as of the projection's checkpoint, which trails the
 * events by the projection's lag.
 */
public final class UserQueries {

    /**
     * One user as the directory shows it.
     *
     * @param status      {@code ACTIVE} or {@code LOCKED}
     * @param lastUpdated when the last change the directory shows was recorded
     */
    public record UserView(String userId, String email, String name, String status, Instant registeredAt,
                           Instant lastUpdated) {
    }

    /** A page of users, ordered by registration, and how many users there are in all. */
    public record UserPage(List<UserView> users, long total, int page, int size) {
        public UserPage {
            users = List.copyOf(users);
        }
    }

    public static final int MAX_PAGE_SIZE = 500;
    private static final String COLUMNS = "user_id, email, name, status, registered_at, updated_at";

    private final JdbcEventStore store;
    private final String users;

    public UserQueries(JdbcEventStore store) {
        this.store = store;
        this.users = store.tableName(UserDirectory.TABLE);
    }

    public Optional<UserView> findById(String userId) {
        return one("user_id = ?", userId);
    }

    /** The user with this address; addresses are compared normalised. */
    public Optional<UserView> findByEmail(String email) {
        return one("email = ?", new EmailAddress(email).value());
    }

    /**
     * Page {@code page} (from 0) of {@code size} users, in order of registration.
     *
     * @throws IllegalArgumentException when page is negative or size is not between 1 and {@link #MAX_PAGE_SIZE}
     */
    public UserPage findAll(int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE);
        }
        return store.read(connection -> {
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM " + users);
                 ResultSet row = count.executeQuery()) {
                row.next();
                total = row.getLong(1);
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + users
                    + " ORDER BY registered_at, user_id LIMIT ? OFFSET ?")) {
                select.setInt(1, size);
                select.setLong(2, (long) page * size);
                return new UserPage(read(select), total, page, size);
            }
        });
    }

    private Optional<UserView> one(String where, String value) {
        return store.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + users
                    + " WHERE " + where)) {
                select.setString(1, value);
                return read(select).stream().findFirst();
            }
        });
    }

    private static List<UserView> read(PreparedStatement select) throws SQLException {
        try (ResultSet rows = select.executeQuery()) {
            var result = new ArrayList<UserView>();
            while (rows.next()) {
                result.add(new UserView(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        Instant.ofEpochMilli(rows.getLong(5)), Instant.ofEpochMilli(rows.getLong(6))));
            }
            return result;
        }
    }
}
