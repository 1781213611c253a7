package io.annals.server.cli;

import io.annals.kafka.node.KafkaModule;
import io.annals.server.AnnalsNode;
import io.annals.server.Examples;
import io.annals.users.node.UsersModule;
import io.annals.server.NodeConfig;
import io.annals.node.Settings;
import io.annals.server.http.ApiKeys;
import io.annals.server.http.StoreApiModule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run an Annals node: the event store over HTTP, with live streaming and metrics, and the seed's "
                + "user service on it (/api/users; --no-examples for a bare event store).",
                "Every option can also come from an environment variable ANNALS_<OPTION> (--jdbc-url: ANNALS_JDBC_URL) "
                        + "or a properties file (see --config). Stop with Ctrl-C or SIGTERM: requests in flight finish first."})
final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--bind", defaultValue = NodeConfig.DEFAULT_BIND, paramLabel = "ADDRESS",
            description = "Interface to listen on (default: ${DEFAULT-VALUE}). Any non-loopback address needs --api-key.")
    String bind;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free port).")
    int port;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Bearer key for /api/* reads (and writes when no --admin-key is set). Prefer ANNALS_API_KEY: "
                    + "arguments are visible to other local users.")
    String apiKey;

    @Option(names = "--admin-key", paramLabel = "KEY",
            description = "Bearer key for /api/* writes and deletes (env ANNALS_ADMIN_KEY).")
    String adminKey;

    @Option(names = "--max-request-bytes", defaultValue = "1048576", paramLabel = "BYTES",
            description = "Largest request body accepted; larger ones get 413 (default: ${DEFAULT-VALUE}).")
    long maxRequestBytes;

    @Option(names = "--heartbeat", defaultValue = "15s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Interval of keep-alive comments on idle event streams (default: ${DEFAULT-VALUE}); "
                    + "the same as --set store-api.heartbeat=DURATION.")
    Duration heartbeat;

    @Option(names = "--modules", split = ",", paramLabel = "NAME[,NAME...]", defaultValue = "store-api,dashboard",
            description = "The modules to serve, in order (default: ${DEFAULT-VALUE}). /health, /metrics and "
                    + "/openapi.json are served whatever the modules.")
    List<String> modules;

    @Option(names = "--kafka", paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Publish the store to this Kafka cluster (module kafka; the same as adding kafka to "
                    + "--modules with --set kafka.bootstrap=HOST:PORT). Without it nothing Kafka-related starts.")
    String kafka;

    @Option(names = "--set", paramLabel = "MODULE.KEY=VALUE",
            description = "A module's setting (repeatable). Also read from the environment (ANNALS_MODULE_KEY: "
                    + "store-api.heartbeat is ANNALS_STORE_API_HEARTBEAT) and the config file (store-api.heartbeat=...).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--no-examples",
            description = "Serve a bare event store: without the user example (its user API, projection, pattern, "
                    + "process manager and saga), which runs by default.")
    boolean noExamples;

    @Option(names = "--suspicious-window", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The user example: three failed logins of a user within this (event time) raise an alert "
                    + "that locks the account (default: PT5M; the same as --set users.suspicious-window=DURATION).")
    Duration suspiciousWindow;

    @Option(names = "--unlock-after", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The user example: how long a locked account stays locked (default: PT15M; "
                    + "the same as --set users.unlock-after=DURATION).")
    Duration unlockAfter;

    @Option(names = "--shutdown-grace", defaultValue = "10s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long stopping waits for requests in flight (default: ${DEFAULT-VALUE}).")
    Duration shutdownGrace;

    @Override
    public Integer call() {
        NodeConfig config = config();
        AnnalsNode node;
        if (noExamples) {
            LOG.info("the user example is off (--no-examples): serving modules {}", config.modules());
            node = AnnalsNode.start(config);
        } else {
            node = Examples.start(config);
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("annals-shutdown").unstarted(node::stop));
        node.awaitTermination();
        return 0;
    }

    /** The node these options describe; module settings from {@code --set}, then the environment, then the config file. */
    NodeConfig config() {
        var given = new LinkedHashMap<String, String>();
        given.put(StoreApiModule.NAME + ".heartbeat", heartbeat.toMillis() + "ms");
        if (suspiciousWindow != null) {
            given.put(UsersModule.NAME + ".suspicious-window", suspiciousWindow.toMillis() + "ms");
        }
        if (unlockAfter != null) {
            given.put(UsersModule.NAME + ".unlock-after", unlockAfter.toMillis() + "ms");
        }
        given.putAll(settings);
        var served = new ArrayList<>(modules);
        if (kafka != null) {
            given.put(KafkaModule.NAME + ".bootstrap", kafka);
            if (!served.contains(KafkaModule.NAME)) {
                served.add(KafkaModule.NAME);
            }
        }
        Function<String, String> elsewhere = spec.defaultValueProvider() instanceof AnnalsDefaults defaults
                ? defaults::setting : key -> null;
        try {
            return new NodeConfig(bind, port, store.settings(), ApiKeys.of(apiKey, adminKey), maxRequestBytes,
                    shutdownGrace, served, Settings.from(key -> given.containsKey(key) ? given.get(key) : elsewhere.apply(key)));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
