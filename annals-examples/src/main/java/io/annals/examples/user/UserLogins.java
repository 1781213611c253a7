package io.annals.examples.user;

import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.examples.user.UserEvent.UserLoggedIn;
import io.annals.examples.user.UserEvent.UserLoginFailed;
import io.annals.serialization.EventSerializer;
import io.annals.store.EventQuery;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.QueryItem;
import io.annals.store.QueryReader;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Records the logins an outside system reports, in the user's stream, at the time they happened
 * (the event time that patterns such as "three failed logins within five minutes" count in).
 * A login is a fact, not a decision: nothing refuses it but an unknown user, and it carries no
 * condition, so recording one never waits for or conflicts with the user's commands.
 */
public final class UserLogins {

    private final EventStore store;
    private final QueryReader reader;
    private final EventSerializer serializer;

    /** @param store a store that reads by query (every Annals store does) */
    public UserLogins(EventStore store, EventSerializer serializer) {
        this.store = Objects.requireNonNull(store, "store");
        this.reader = (QueryReader) store;
        this.serializer = Objects.requireNonNull(serializer, "serializer");
    }

    /**
     * Records a login of {@code userId} that happened at {@code at}.
     *
     * @return the position of the recorded event
     * @throws UserException.NotRegistered when no such user was registered
     */
    public Position record(String userId, boolean succeeded, Instant at) {
        Objects.requireNonNull(at, "at");
        var registration = EventQuery.of(QueryItem.of(List.of("UserRegistered"), List.of(UserModule.userTag(userId))));
        if (reader.read(registration, Position.START, 1).events().isEmpty()) {
            throw new UserException.NotRegistered(userId);
        }
        UserEvent login = succeeded ? new UserLoggedIn(userId) : new UserLoginFailed(userId);
        return store.append(UserModule.streamOf(userId), ExpectedVersion.any(),
                List.of(serializer.serialize(login, Metadata.EMPTY, at))).position();
    }
}
