package io.annals.commands;

import io.annals.aggregate.CommandContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each dispatch's outcome with the command's type, id and correlation id, never its
 * content (commands carry personal data): accepted at DEBUG, refusals at INFO, conflicts at
 * WARN, and a handler's exception at ERROR before it is rethrown.
 */
public final class LoggingInterceptor implements CommandInterceptor {

    private final Logger log;

    public LoggingInterceptor(Logger log) {
        this.log = log;
    }

    public static LoggingInterceptor create() {
        return new LoggingInterceptor(LoggerFactory.getLogger("io.annals.commands"));
    }

    @Override
    public CommandResult intercept(Object command, CommandContext context, Next next) {
        String type = command.getClass().getSimpleName();
        long start = System.nanoTime();
        CommandResult result;
        try {
            result = next.proceed(command, context);
        } catch (RuntimeException | Error e) {
            log.error("command {} {} (correlation {}) failed after {} ms", type, context.commandId(), context.correlationId(),
                    millisSince(start), e);
            throw e;
        }
        long millis = millisSince(start);
        switch (result) {
            case CommandResult.Accepted accepted -> log.debug("command {} {} (correlation {}) accepted{}: {} events in {} ms",
                    type, context.commandId(), context.correlationId(), accepted.repeated() ? " before" : "",
                    accepted.events().size(), millis);
            case CommandResult.Conflicted conflicted -> log.warn("command {} {} (correlation {}) gave up on conflicts after {} ms: {}",
                    type, context.commandId(), context.correlationId(), millis, conflicted.message());
            case CommandResult.Failure failure -> log.info("command {} {} (correlation {}) {} in {} ms: {}",
                    type, context.commandId(), context.correlationId(), failure.kind(), millis, failure.message());
        }
        return result;
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
