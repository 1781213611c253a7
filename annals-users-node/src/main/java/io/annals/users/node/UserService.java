package io.annals.users.node;

import io.annals.cep.node.CepModule;
import io.annals.cep.node.CepPattern;
import io.annals.commands.CommandBus;
import io.annals.examples.user.AccountGuard;
import io.annals.examples.user.UserCommands;
import io.annals.examples.user.UserDirectory;
import io.annals.examples.user.UserModule;
import io.annals.examples.user.UserPatterns;
import io.annals.node.NodeModule;
import io.annals.node.Settings;
import io.annals.projection.node.ProjectionsModule;
import io.annals.sagas.RetryPolicy;
import io.annals.sagas.SagaEngine;
import io.annals.sagas.StreamCheckpointStore;
import io.annals.sagas.node.SagasModule;
import io.annals.sagas.outbox.CommandBusSender;
import io.annals.sagas.outbox.OutboxRelay;
import io.annals.sagas.process.ProcessManagerRuntime;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.jdbc.JdbcEventStore;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The seed's user service put together as node modules over one store: {@code projections}
 * running the {@link UserDirectory}, {@code cep} running the suspicious-login pattern,
 * {@code sagas} with the {@link AccountGuard} process manager, its outbox relay and the
 * provisioning saga, and {@code users} with the user API and what starts the sagas.
 * {@code annals serve} serves these unless {@code --no-examples}; an embedding application can
 * serve them too.
 */
public final class UserService {

    /** The outbox relay of the account guard's commands and notices. */
    static final String RELAY = "users";
    private static final RetryPolicy NOTICE_RETRY = RetryPolicy.exponential(6, Duration.ofMillis(200), Duration.ofSeconds(5));

    private UserService() {
    }

    /** The modules of the example, by the names they serve under: {@code projections}, {@code cep}, {@code sagas}, {@code users}. */
    public static List<NodeModule> modules(EventStore store, Settings nodeSettings) {
        UsersSettings settings = UsersSettings.from(nodeSettings.scope(UsersModule.NAME));
        var serializer = new EventSerializer(UserModule.register(new EventTypeRegistry()));
        CommandBus bus = UserCommands.bus(store, serializer);
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        // on a database the guard and its relay run under leases, as the projections do, so nodes sharing it drive them once
        Settings leases = nodeSettings.scope(ProjectionsModule.NAME);
        String owner = leases.get("owner").orElse("users-" + UUID.randomUUID());
        Duration lease = leases.duration("lease", Duration.ofSeconds(10));
        var manager = new AccountGuard(settings.unlockAfter());
        var guard = store instanceof JdbcEventStore jdbc
                ? ProcessManagerRuntime.leased(jdbc, manager, Clock.systemUTC(), owner, lease)
                : new ProcessManagerRuntime<>(store, manager, Clock.systemUTC());
        var relayBuilder = OutboxRelay.builder(store, RELAY)
                .streamPrefix("pm-" + AccountGuard.NAME + "-")
                .sender(CommandBusSender.DESTINATION, new CommandBusSender(bus))
                .sender(AccountGuard.NOTIFICATIONS, new Notices(settings.notifyUrl(), http))
                .retry(NOTICE_RETRY);
        var relay = (store instanceof JdbcEventStore ? relayBuilder.leased(owner, lease) : relayBuilder).build();
        Optional<ProvisioningSaga> provisioning = settings.provisioningUrl().map(url -> new ProvisioningSaga(store, url,
                settings.provisioningTimeout(), http, serializer, new StreamCheckpointStore(store)));
        var engine = SagaEngine.builder(store);
        provisioning.ifPresent(saga -> engine.register(saga.definition()));
        SagaEngine sagas = engine.build();
        var users = new UsersModule(settings, store, serializer, bus, guard, relay, sagas, provisioning, http);
        return List.of(
                new ProjectionsModule(runtime -> runtime.register(new UserDirectory(serializer))),
                new CepModule(List.of(new CepPattern(UsersModule.PATTERN_PROCESSOR,
                        UserPatterns.suspiciousActivity(settings.suspiciousWindow()),
                        EventFilter.streamPrefix(UserModule.CATEGORY + "-"), settings.allowedLateness()))),
                new SagasModule(sagas, List.of(guard), List.of(relay)),
                users);
    }
}
