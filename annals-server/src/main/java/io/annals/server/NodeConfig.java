package io.annals.server;

import io.annals.server.http.ApiKeys;
import io.annals.server.store.StoreSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a node needs to start.
 *
 * @param bindAddress     the interface to listen on; anything but loopback needs an API key
 * @param port            the TCP port; 0 picks a free one (see {@link AnnalsNode#port()})
 * @param store           which event store to open
 * @param keys            bearer keys for {@code /api/*}
 * @param maxRequestBytes the largest request body accepted; larger ones get 413
 * @param heartbeat       how often an idle event stream sends a comment so proxies keep it open
 * @param shutdownGrace   how long stopping waits for requests in flight
 */
public record NodeConfig(String bindAddress, int port, StoreSettings store, ApiKeys keys, long maxRequestBytes,
                         Duration heartbeat, Duration shutdownGrace) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    public static final Duration MAX_HEARTBEAT = Duration.ofSeconds(20);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

    public NodeConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
        }
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("the request size limit must be at least 1024 bytes");
        }
        if (heartbeat.isNegative() || heartbeat.isZero() || heartbeat.compareTo(MAX_HEARTBEAT) > 0) {
            // an idle connection is closed after 30 s, so a stream must speak more often than that
            throw new IllegalArgumentException("the heartbeat interval must be between 1 ms and " + MAX_HEARTBEAT.toSeconds() + " s");
        }
        if (!isLoopback(bindAddress) && !keys.enabled()) {
            throw new IllegalArgumentException("refusing to listen on " + bindAddress
                    + " without an API key: set --api-key (and --admin-key) or bind to 127.0.0.1");
        }
    }

    /** A node for tests and embedding: in-memory store, loopback, an ephemeral port. */
    public static NodeConfig ephemeral(StoreSettings store) {
        return new NodeConfig(DEFAULT_BIND, 0, store, ApiKeys.NONE, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_HEARTBEAT,
                DEFAULT_SHUTDOWN_GRACE);
    }

    public NodeConfig withKeys(ApiKeys newKeys) {
        return new NodeConfig(bindAddress, port, store, newKeys, maxRequestBytes, heartbeat, shutdownGrace);
    }

    public NodeConfig withMaxRequestBytes(long newMax) {
        return new NodeConfig(bindAddress, port, store, keys, newMax, heartbeat, shutdownGrace);
    }

    public NodeConfig withHeartbeat(Duration newHeartbeat) {
        return new NodeConfig(bindAddress, port, store, keys, maxRequestBytes, newHeartbeat, shutdownGrace);
    }

    static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve bind address " + address);
        }
    }
}
