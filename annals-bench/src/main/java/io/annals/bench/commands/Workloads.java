package io.annals.bench.commands;

import io.annals.aggregate.CommandContext;
import io.annals.bench.measure.ThroughputRunner;
import io.annals.bench.subject.AnnalsSubject;
import io.annals.bench.workload.BenchEvents;
import io.annals.commands.CommandBus;
import io.annals.commands.CommandResult;
import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.examples.user.UserCommand.RegisterUser;
import io.annals.examples.user.UserCommands;
import io.annals.examples.user.UserModule;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.store.Append;
import io.annals.store.AppendCondition;
import io.annals.store.AppendConditionFailedException;
import io.annals.store.ConditionalAppender;
import io.annals.store.EventQuery;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.QueryRead;
import io.annals.store.QueryReader;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** The workloads of the commands suite. */
final class Workloads {

    /** Events per stream before a client starts the next one, as in the store suite's append cases. */
    static final int STREAM_LENGTH = 1000;

    private Workloads() {
    }

    /**
     * {@code clients} clients each append one event per append to a stream of their own, stating
     * the expected version: the store suite's {@code append-64-clients}, the baseline.
     */
    static Workload unconditional(int clients) {
        return (store, warmup, measure) -> Figure.of(ThroughputRunner.eventsPerSecond(clients, warmup, measure, (client, iteration) -> {
            store.append(stream(client, iteration), ExpectedVersion.after(iteration % STREAM_LENGTH - 1),
                    List.of(event(client, iteration, clients)));
            return 1;
        }));
    }

    /**
     * As {@link #unconditional}, and each event carries its client's tag, without a condition:
     * what the tag index costs, apart from the check.
     */
    static Workload tagged(int clients) {
        return (store, warmup, measure) -> Figure.of(ThroughputRunner.eventsPerSecond(clients, warmup, measure, (client, iteration) -> {
            store.append(stream(client, iteration), ExpectedVersion.after(iteration % STREAM_LENGTH - 1),
                    List.of(event(client, iteration, clients).withTags(Tag.of("client", Integer.toString(client)))));
            return 1;
        }));
    }

    /**
     * As {@link #unconditional}, and each event carries its client's tag, appended on condition
     * that no event with that tag was recorded after the client's previous append: every append
     * pays for the tag and the check, and none conflicts.
     */
    static Workload conditional(int clients) {
        return (store, warmup, measure) -> {
            ConditionalAppender appender = conditional(store);
            var last = new Position[clients];
            java.util.Arrays.fill(last, Position.START);
            return Figure.of(ThroughputRunner.eventsPerSecond(clients, warmup, measure, (client, iteration) -> {
                Tag tag = Tag.of("client", Integer.toString(client));
                var append = Append.to(stream(client, iteration), ExpectedVersion.after(iteration % STREAM_LENGTH - 1),
                        List.of(event(client, iteration, clients).withTags(tag)))
                        .onlyIf(new AppendCondition(EventQuery.tagged(tag), last[client]));
                last[client] = appender.append(append).position();
                return 1;
            }));
        };
    }

    /**
     * {@code clients} clients register users with addresses of their own through the user
     * example's command bus: validation, a read of the address's and the user's events, the
     * decision, and an append under the condition together with the command's record.
     */
    static Workload registerUsers(int clients) {
        return (store, warmup, measure) -> {
            CommandBus bus = UserCommands.bus(store, new EventSerializer(UserModule.register(new EventTypeRegistry())));
            return Figure.of(ThroughputRunner.eventsPerSecond(clients, warmup, measure, (client, iteration) -> {
                String user = "c" + client + "-" + iteration;
                CommandResult result = bus.dispatch(new RegisterUser(user, user + "@bench.example", "User " + user),
                        CommandContext.newCommand());
                if (!(result instanceof CommandResult.Accepted)) {
                    throw new IllegalStateException("registration of " + user + " was not accepted: " + result);
                }
                return 1;
            }));
        };
    }

    /**
     * {@code clients} clients all decide on one tag: read the tag's events from where each last
     * read, then append one tagged event on condition that nothing new carries the tag. Every
     * success makes the others' next append conflict; a conflicted client reads again.
     * Conflicts per second are counted over the whole run and scaled to the window's successes.
     */
    static Workload contended(int clients) {
        return (store, warmup, measure) -> {
            ConditionalAppender appender = conditional(store);
            QueryReader reader = (QueryReader) store;
            Tag tag = Tag.of("contended", "1");
            EventQuery query = EventQuery.tagged(tag);
            var scanned = new Position[clients];
            java.util.Arrays.fill(scanned, Position.START);
            var successes = new LongAdder();
            var conflicts = new LongAdder();
            double perSecond = ThroughputRunner.eventsPerSecond(clients, warmup, measure, (client, iteration) -> {
                Position after = scanned[client];
                while (true) {
                    QueryRead page = reader.read(query, after, 1000);
                    after = page.scannedTo();
                    if (page.events().size() < 1000) {
                        break;
                    }
                }
                scanned[client] = after;
                try {
                    appender.append(Append.to(StreamId.of("contender-" + client), ExpectedVersion.any(),
                            List.of(event(client, iteration, clients).withTags(tag))).onlyIf(new AppendCondition(query, after)));
                    successes.increment();
                    return 1;
                } catch (AppendConditionFailedException e) {
                    conflicts.increment();
                    return 0;
                }
            });
            double conflictsPerSuccess = successes.sum() == 0 ? Double.NaN : (double) conflicts.sum() / successes.sum();
            return new Figure(perSecond, perSecond * conflictsPerSuccess);
        };
    }

    private static ConditionalAppender conditional(EventStore store) {
        if (!(store instanceof ConditionalAppender appender) || !(store instanceof QueryReader)) {
            throw new IllegalStateException(store.getClass().getSimpleName() + " does not append under conditions yet");
        }
        return appender;
    }

    private static StreamId stream(int client, long iteration) {
        return StreamId.of("client-" + client + "-" + iteration / STREAM_LENGTH);
    }

    private static EventData event(int client, long iteration, int clients) {
        return AnnalsSubject.toEventData(BenchEvents.event(iteration * clients + client));
    }
}
