package io.annals.server.cli;

import io.annals.server.AnnalsNode;
import io.annals.server.NodeConfig;
import io.annals.server.http.ApiKeys;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run an Annals node: the event store over HTTP, with live streaming and metrics.",
                "Every option can also come from an environment variable ANNALS_<OPTION> (--jdbc-url: ANNALS_JDBC_URL) "
                        + "or a properties file (see --config). Stop with Ctrl-C or SIGTERM: requests in flight finish first."})
final class ServeCommand implements Callable<Integer> {

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
            description = "Interval of keep-alive comments on idle event streams (default: ${DEFAULT-VALUE}).")
    Duration heartbeat;

    @Option(names = "--shutdown-grace", defaultValue = "10s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long stopping waits for requests in flight (default: ${DEFAULT-VALUE}).")
    Duration shutdownGrace;

    @Override
    public Integer call() {
        NodeConfig config;
        try {
            config = new NodeConfig(bind, port, store.settings(), ApiKeys.of(apiKey, adminKey), maxRequestBytes,
                    heartbeat, shutdownGrace);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        AnnalsNode node = AnnalsNode.start(config);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("annals-shutdown").unstarted(node::stop));
        node.awaitTermination();
        return 0;
    }
}
