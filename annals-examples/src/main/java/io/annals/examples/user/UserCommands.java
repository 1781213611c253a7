package io.annals.examples.user;

import io.annals.aggregate.QueryDeciderRepository;
import io.annals.commands.CommandBus;
import io.annals.commands.CommandHandler;
import io.annals.commands.LoggingInterceptor;
import io.annals.commands.ValidationInterceptor;
import io.annals.serialization.EventSerializer;
import io.annals.store.EventStore;

/** The user domain on the command bus: every {@link UserCommand} through {@link UserAccounts}, validated first. */
public final class UserCommands {

    private UserCommands() {
    }

    public static CommandBus bus(EventStore store, EventSerializer serializer) {
        var accounts = QueryDeciderRepository.builder(store, serializer, new UserAccounts(), UserEvent.class).build();
        return CommandBus.builder()
                .intercept(LoggingInterceptor.create())
                .intercept(ValidationInterceptor.create())
                .handle(UserCommand.class, CommandHandler.query(accounts))
                .expect(UserCommand.class)
                .build();
    }
}
