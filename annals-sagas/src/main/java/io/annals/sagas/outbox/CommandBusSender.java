package io.annals.sagas.outbox;

import io.annals.aggregate.CommandContext;
import io.annals.commands.CommandBus;
import io.annals.commands.CommandResult;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the commands a process manager decided to send ({@value #DESTINATION} messages)
 * through a {@link CommandBus}, under the message id as command id, so that a command delivered
 * twice is carried out once. A conflict is tried again; any other answer (accepted, rejected,
 * invalid) is delivered: the command was heard.
 */
public final class CommandBusSender implements OutboxSender {

    public static final String DESTINATION = "commands";

    private static final Logger LOG = LoggerFactory.getLogger(CommandBusSender.class);

    private final CommandBus bus;
    private final Map<String, Class<?>> commandTypes = new HashMap<>();
    private final EventSerializer json = new EventSerializer(new EventTypeRegistry());

    public CommandBusSender(CommandBus bus) {
        this.bus = Objects.requireNonNull(bus, "bus");
        // only classes the bus handles are ever instantiated from a message
        for (Class<?> type : bus.commandTypes()) {
            commandTypes.put(type.getName(), type);
        }
    }

    @Override
    public void send(OutboxMessage message) {
        Class<?> type = commandTypes.get(message.type());
        if (type == null) {
            throw new IllegalArgumentException("the command bus has no handler for " + message.type());
        }
        Object command = json.fromJson(message.payload(), type);
        CommandResult result = bus.dispatch(command, CommandContext.of(message.messageId(), message.messageId().toString()));
        switch (result) {
            case CommandResult.Accepted accepted -> LOG.debug("command {} accepted", message.messageId());
            case CommandResult.Conflicted conflicted -> throw new IllegalStateException(
                    "command " + message.messageId() + " conflicted: " + conflicted.message());
            case CommandResult.Failure failure -> LOG.warn("command {} ({}) answered {}: {}",
                    message.messageId(), message.type(), failure.kind(), failure.message());
        }
    }
}
