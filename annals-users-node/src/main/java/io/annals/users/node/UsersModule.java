package io.annals.users.node;

import io.annals.cep.store.CepProcessor;
import io.annals.commands.CommandBus;
import io.annals.examples.user.AccountGuard;
import io.annals.examples.user.UserDecider;
import io.annals.examples.user.UserEvent;
import io.annals.examples.user.UserLogins;
import io.annals.examples.user.UserModule;
import io.annals.examples.user.UserPatterns;
import io.annals.examples.user.UserQueries;
import io.annals.node.ApiProblem;
import io.annals.node.HealthCheck.Health;
import io.annals.node.NodeContext;
import io.annals.node.NodeModule;
import io.annals.sagas.SagaEngine;
import io.annals.sagas.outbox.OutboxRelay;
import io.annals.sagas.process.ProcessManagerRuntime;
import io.annals.serialization.EventSerializer;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.QueryReader;
import io.annals.store.jdbc.JdbcEventStore;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user service in the node (module {@code users}), put together by {@link UserService}: the
 * user API ({@link UserRoutes}, user role), the pattern "three failed logins within
 * {@code users.suspicious-window}" whose matches start the {@link AccountGuard}, and, when
 * {@code users.provisioning-url} is set, what starts the provisioning saga for each new user.
 * The account guard, its outbox relay and the saga engine are watched and closed by the
 * {@code sagas} module; the user directory runs in the {@code projections} module.
 * <p>
 * Health part {@code users}: down when the pattern's or the provisioning starter's subscription,
 * the account guard or its relay stopped.
 */
public final class UsersModule implements NodeModule {

    public static final String NAME = "users";
    /** The CEP processor of the suspicious-login pattern: its matches go to stream {@code cep-users.suspicious}. */
    static final String PATTERN_PROCESSOR = "users.suspicious";
    /**
     * How far behind the latest login time (or the clock) a login may be reported and still
     * count; the alert for a third failure comes this long after it.
     */
    static final Duration LATENESS = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(UsersModule.class);

    private final UsersSettings settings;
    private final EventStore store;
    private final EventSerializer serializer;
    private final CommandBus bus;
    private final ProcessManagerRuntime<?, ?> guard;
    private final OutboxRelay relay;
    private final SagaEngine sagas;
    private final Optional<ProvisioningSaga> provisioning;
    private final HttpClient http;
    private volatile CepProcessor pattern;

    UsersModule(UsersSettings settings, EventStore store, EventSerializer serializer, CommandBus bus,
                ProcessManagerRuntime<?, ?> guard, OutboxRelay relay, SagaEngine sagas,
                Optional<ProvisioningSaga> provisioning, HttpClient http) {
        this.settings = settings;
        this.store = store;
        this.serializer = serializer;
        this.bus = bus;
        this.guard = guard;
        this.relay = relay;
        this.sagas = sagas;
        this.provisioning = provisioning;
        this.http = http;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void install(NodeContext node) {
        // inspection (the dashboard's time travel) folds user streams as the service does
        node.streamStates().register(UserModule.CATEGORY, new UserDecider(), UserEvent.class, serializer);
        Optional<UserQueries> queries = node.store() instanceof JdbcEventStore jdbc ? Optional.of(new UserQueries(jdbc)) : Optional.empty();
        new UserRoutes(node.json(), node.bodies(), bus, new UserLogins(store, serializer),
                () -> queries.orElseThrow(() -> new ApiProblem(503, "Service Unavailable",
                        "the user directory needs the SQLite or PostgreSQL store")),
                (QueryReader) store, Clock.systemUTC()).register(node.routes());
        node.healthCheck(NAME, () -> {
            var failed = new ArrayList<String>();
            Optional.ofNullable(pattern).flatMap(CepProcessor::failure).ifPresent(e -> failed.add("pattern: " + e));
            provisioning.flatMap(ProvisioningSaga::failure).ifPresent(e -> failed.add("provisioning: " + e));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("suspiciousWindow", settings.suspiciousWindow().toString());
            details.put("unlockAfter", settings.unlockAfter().toString());
            details.put("provisioning", provisioning.isPresent());
            details.put("failed", failed);
            return failed.isEmpty() ? Health.up(details) : Health.down(details);
        });
        node.onStart(() -> {
            pattern = CepProcessor.builder(store, PATTERN_PROCESSOR, UserPatterns.suspiciousActivity(settings.suspiciousWindow()))
                    .filter(EventFilter.streamPrefix(UserModule.CATEGORY + "-"))
                    .allowedLateness(LATENESS)
                    .tick(Duration.ofSeconds(1))
                    .start();
            try {
                guard.start();
                relay.start();
                provisioning.ifPresent(saga -> saga.start(sagas));
            } catch (RuntimeException e) {
                // the node runs no stop hook of a module whose start failed
                pattern.close();
                throw e;
            }
            LOG.info("users: the user example is on: user API, projection user-directory, pattern {} ({}), process manager {}; {}",
                    UserPatterns.SUSPICIOUS, PATTERN_PROCESSOR, AccountGuard.NAME, settings.describe());
        });
        node.onStop(() -> {
            provisioning.ifPresent(ProvisioningSaga::close);
            if (pattern != null) {
                pattern.close();
            }
            // not close(), which would wait for a call to a service that hangs
            http.shutdownNow();
        });
    }
}
