package io.annals.server;

import io.annals.node.Settings;
import io.annals.server.http.ApiKeys;
import io.annals.server.http.StoreApiModule;
import io.annals.server.store.StoreSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a node needs to start.
 *
 * @param bindAddress     the interface to listen on; anything but loopback needs an API key
 * @param port            the TCP port; 0 picks a free one (see {@link AnnalsNode#port()})
 * @param store           which event store to open
 * @param keys            the bearer keys that grant roles
 * @param maxRequestBytes the largest request body accepted; larger ones get 413
 * @param shutdownGrace   how long stopping waits for requests in flight
 * @param modules         the names of the modules to serve, in order (see {@link io.annals.node.NodeModule#name()})
 * @param settings        configuration by key, each module's under its name ({@code store-api.heartbeat})
 */
public record NodeConfig(String bindAddress, int port, StoreSettings store, ApiKeys keys, long maxRequestBytes,
                         Duration shutdownGrace, List<String> modules, Settings settings) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
    public static final List<String> DEFAULT_MODULES = List.of(StoreApiModule.NAME);

    public NodeConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(settings, "settings");
        modules = List.copyOf(modules);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
        }
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("the request size limit must be at least 1024 bytes");
        }
        if (modules.size() != modules.stream().distinct().count()) {
            throw new IllegalArgumentException("a module is named twice in " + modules);
        }
        if (!isLoopback(bindAddress) && !keys.enabled()) {
            throw new IllegalArgumentException("refusing to listen on " + bindAddress
                    + " without an API key: set --api-key (and --admin-key) or bind to 127.0.0.1");
        }
    }

    /** A node for tests and embedding: the given store, loopback, an ephemeral port, the store API. */
    public static NodeConfig ephemeral(StoreSettings store) {
        return new NodeConfig(DEFAULT_BIND, 0, store, ApiKeys.NONE, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_SHUTDOWN_GRACE,
                DEFAULT_MODULES, Settings.NONE);
    }

    public NodeConfig withPort(int newPort) {
        return new NodeConfig(bindAddress, newPort, store, keys, maxRequestBytes, shutdownGrace, modules, settings);
    }

    public NodeConfig withKeys(ApiKeys newKeys) {
        return new NodeConfig(bindAddress, port, store, newKeys, maxRequestBytes, shutdownGrace, modules, settings);
    }

    public NodeConfig withMaxRequestBytes(long newMax) {
        return new NodeConfig(bindAddress, port, store, keys, newMax, shutdownGrace, modules, settings);
    }

    public NodeConfig withModules(List<String> newModules) {
        return new NodeConfig(bindAddress, port, store, keys, maxRequestBytes, shutdownGrace, newModules, settings);
    }

    /** These settings, with {@code values} over the ones already set. */
    public NodeConfig withSettings(Map<String, String> values) {
        Map<String, String> copy = new HashMap<>(values);
        Settings previous = settings;
        Settings merged = Settings.from(key -> copy.containsKey(key) ? copy.get(key) : previous.get(key).orElse(null));
        return new NodeConfig(bindAddress, port, store, keys, maxRequestBytes, shutdownGrace, modules, merged);
    }

    static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve bind address " + address);
        }
    }
}
