package io.annals.commands;

import io.annals.aggregate.CommandContext;

/**
 * Wraps every dispatch: look at the command and its context, answer without going on (as
 * validation does), or go on with {@code next} and look at the result (as logging and metrics do).
 * Interceptors run in the order they were added to the bus, the first outermost.
 */
@FunctionalInterface
public interface CommandInterceptor {

    CommandResult intercept(Object command, CommandContext context, Next next);

    /** The rest of the chain: later interceptors, then the handler. */
    @FunctionalInterface
    interface Next {
        CommandResult proceed(Object command, CommandContext context);
    }
}
