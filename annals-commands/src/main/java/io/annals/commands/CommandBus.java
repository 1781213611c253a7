package io.annals.commands;

import io.annals.aggregate.CommandContext;
import io.annals.aggregate.CommandIdReusedException;
import io.annals.aggregate.DomainException;
import io.annals.aggregate.InvalidCommandException;
import io.annals.store.AppendConditionFailedException;
import io.annals.store.DuplicateEventException;
import io.annals.store.InvalidAppendException;
import io.annals.store.WrongExpectedVersionException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Dispatches each command to the one handler of its class, through the interceptors, and answers
 * with a {@link CommandResult}: {@link CommandResult.Accepted} or a typed
 * {@link CommandResult.Failure}. Failures of the infrastructure (the store is unreachable) and
 * bugs (a handler's unexpected exception) are thrown, not answered.
 *
 * <pre>{@code
 * CommandBus bus = CommandBus.builder()
 *         .intercept(LoggingInterceptor.create())
 *         .intercept(ValidationInterceptor.create())
 *         .handle(RegisterUser.class, CommandHandler.query(registrations))
 *         .handle(RenameUser.class, CommandHandler.stream(users, c -> UserModule.streamOf(c.userId())))
 *         .expect(UserCommand.class)
 *         .build();
 * }</pre>
 *
 * <p>Every event a command causes carries the command's correlation and causation (see
 * {@link CommandContext}): the bus does that for every dispatch, so it cannot be left out.
 * A command dispatched again under the same id returns its first outcome and writes nothing
 * (see {@code docs/adr/0009-idempotent-commands.md}); a conflict with a concurrent writer makes
 * the handler's runtime decide again, a bounded number of times, before it answers
 * {@link CommandResult.Conflicted}.
 */
public final class CommandBus {

    private final Map<Class<?>, CommandHandler<Object>> handlers;
    private final CommandInterceptor.Next chain;

    private CommandBus(Map<Class<?>, CommandHandler<Object>> handlers, List<CommandInterceptor> interceptors) {
        this.handlers = Map.copyOf(handlers);
        CommandInterceptor.Next next = this::handle;
        for (CommandInterceptor interceptor : interceptors.reversed()) {
            CommandInterceptor.Next inner = next;
            next = (command, context) -> interceptor.intercept(command, context, inner);
        }
        this.chain = next;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Dispatches a new command: a new command id, which is also the correlation id of its events. */
    public CommandResult dispatch(Object command) {
        return dispatch(command, CommandContext.newUnrepeatableCommand());
    }

    /**
     * Dispatches a command under the context's id: pass the same id to retry a command whose
     * answer was lost, or {@link CommandContext#causedBy} for a command issued in reaction to an event.
     */
    public CommandResult dispatch(Object command, CommandContext context) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(context, "context");
        return chain.proceed(command, context);
    }

    /** The command classes this bus has a handler for. */
    public Set<Class<?>> commandTypes() {
        return handlers.keySet();
    }

    private CommandResult handle(Object command, CommandContext context) {
        CommandHandler<Object> handler = handlers.get(command.getClass());
        if (handler == null) {
            return new CommandResult.UnknownCommand(context.commandId(), command.getClass());
        }
        try {
            CommandHandler.Handled handled = handler.handle(command, context);
            return new CommandResult.Accepted(context.commandId(), new ArrayList<>(handled.events()), handled.position(),
                    handled.repeated());
        } catch (DomainException rejection) {
            return new CommandResult.Rejected(context.commandId(), rejection.code(), rejection.getMessage());
        } catch (WrongExpectedVersionException | AppendConditionFailedException conflict) {
            return new CommandResult.Conflicted(context.commandId(), conflict.getMessage());
        } catch (CommandIdReusedException reused) {
            return new CommandResult.CommandIdReused(context.commandId(), reused.getMessage());
        } catch (DuplicateEventException duplicate) {
            // the runtimes derive event ids from the command id: a stored one means the id was used before
            return new CommandResult.CommandIdReused(context.commandId(), "command id " + context.commandId()
                    + " was used before: " + duplicate.getMessage());
        } catch (InvalidCommandException invalid) {
            return new CommandResult.Invalid(context.commandId(),
                    List.of(new CommandResult.Violation(invalid.path(), invalid.reason())));
        } catch (InvalidAppendException invalid) {
            return new CommandResult.Invalid(context.commandId(),
                    List.of(new CommandResult.Violation("(events)", invalid.getMessage())));
        }
    }

    /** Collects handlers and interceptors; {@link #build()} refuses missing and duplicate handlers. */
    public static final class Builder {
        private final Map<Class<?>, CommandHandler<Object>> handlers = new LinkedHashMap<>();
        private final Set<String> problems = new LinkedHashSet<>();
        private final Set<Class<?>> expected = new LinkedHashSet<>();
        private final List<CommandInterceptor> interceptors = new ArrayList<>();

        private Builder() {
        }

        /**
         * Registers the handler of a command class, or of every concrete class a sealed interface
         * permits (recursively). A class may have one handler only.
         */
        @SuppressWarnings("unchecked")
        public <C> Builder handle(Class<C> commandType, CommandHandler<? super C> handler) {
            Objects.requireNonNull(commandType, "commandType");
            Objects.requireNonNull(handler, "handler");
            for (Class<?> concrete : concreteTypes(commandType)) {
                if (handlers.putIfAbsent(concrete, (CommandHandler<Object>) handler) != null) {
                    problems.add("two handlers for " + concrete.getName());
                }
            }
            return this;
        }

        /**
         * Declares command classes that must have a handler (a sealed interface stands for every
         * class it permits), so that a forgotten one fails {@link #build()} rather than a dispatch.
         */
        public Builder expect(Class<?> commandType) {
            expected.addAll(concreteTypes(Objects.requireNonNull(commandType, "commandType")));
            return this;
        }

        /** Adds an interceptor inside those added before. */
        public Builder intercept(CommandInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /** @throws IllegalStateException naming every duplicate and every expected class without a handler */
        public CommandBus build() {
            var all = new ArrayList<>(problems);
            for (Class<?> type : expected) {
                if (!handlers.containsKey(type)) {
                    all.add("no handler for " + type.getName());
                }
            }
            if (!all.isEmpty()) {
                throw new IllegalStateException("the command bus cannot start: " + String.join("; ", all));
            }
            return new CommandBus(handlers, interceptors);
        }

        private List<Class<?>> concreteTypes(Class<?> type) {
            if (type.isSealed()) {
                var concrete = new ArrayList<Class<?>>();
                for (Class<?> permitted : type.getPermittedSubclasses()) {
                    concrete.addAll(concreteTypes(permitted));
                }
                return concrete;
            }
            if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
                throw new IllegalArgumentException(type.getName()
                        + " has no instances of its own: name concrete command classes or a sealed interface");
            }
            return List.of(type);
        }
    }
}
