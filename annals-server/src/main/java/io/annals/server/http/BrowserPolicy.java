package io.annals.server.http;

import io.annals.node.ApiProblem;
import io.annals.node.Settings;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the node lets a web page do. Cross-origin access is an allow-list of origins
 * ({@code node.cors-origins}, none by default): only those get CORS headers, so a browser
 * keeps every other page from reading answers or sending a preflighted request. A node that
 * listens on loopback answers only requests whose {@code Host} names it (loopback names, its bind
 * address, {@code node.hosts}), so that a page whose DNS name is made to point at 127.0.0.1
 * (DNS rebinding) cannot reach it as its own origin.
 */
public final class BrowserPolicy {

    /** The headers a browser may send cross-origin; everything else a route reads is a simple header. */
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Expected-Version, Last-Event-ID";
    static final String EXPOSED_HEADERS = "Location, Retry-After, WWW-Authenticate";

    private final Set<String> origins;
    private final Set<String> hosts;

    BrowserPolicy(Set<String> origins, Set<String> hosts) {
        this.origins = Set.copyOf(origins);
        this.hosts = hosts == null ? null : Set.copyOf(hosts);
    }

    /**
     * The policy of a node bound to {@code bindAddress}, from its settings {@code node.*}:
     * {@code cors-origins} and {@code hosts}, comma-separated.
     */
    public static BrowserPolicy of(String bindAddress, Settings nodeSettings) {
        Set<String> origins = list(nodeSettings.get("cors-origins", ""));
        for (String origin : origins) {
            if (!origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|https?://\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?")) {
                throw new IllegalArgumentException("setting node.cors-origins: '" + origin
                        + "' is not an origin (scheme://host[:port], no path)");
            }
        }
        if (!isLoopback(bindAddress)) {
            // beyond loopback the node is reached by names it cannot know, and keys guard it
            return new BrowserPolicy(origins, null);
        }
        var hosts = new HashSet<>(Set.of("localhost", "127.0.0.1", "::1", "[::1]"));
        hosts.add(bindAddress.toLowerCase(Locale.ROOT));
        hosts.addAll(list(nodeSettings.get("hosts", "").toLowerCase(Locale.ROOT)));
        return new BrowserPolicy(origins, hosts);
    }

    /** Refuses a request to a loopback node whose {@code Host} is another name, with a 421. */
    void checkHost(Context ctx) {
        if (hosts == null) {
            return;
        }
        String host = ctx.header("Host");
        if (host == null) {
            return;
        }
        String name = withoutPort(host.trim().toLowerCase(Locale.ROOT));
        if (!hosts.contains(name) && !name.endsWith(".localhost")) {
            throw new ApiProblem(421, "Misdirected Request", "this node answers requests to localhost only, not to '"
                    + io.annals.node.QueryParams.abbreviate(host) + "'; add the name to the setting node.hosts to allow it");
        }
    }

    /** Adds the CORS headers of an answer to a cross-origin request, when its origin is allowed. */
    void allowOrigin(Context ctx) {
        if (origins.isEmpty()) {
            return;
        }
        ctx.header("Vary", "Origin");
        String origin = ctx.header("Origin");
        if (origin != null && origins.contains(origin)) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
    }

    /** Answers a CORS preflight for a path that serves {@code allow}, when its origin is allowed. */
    void preflight(Context ctx, String allow) {
        String origin = ctx.header("Origin");
        if (origin != null && origins.contains(origin) && ctx.header("Access-Control-Request-Method") != null) {
            ctx.header("Access-Control-Allow-Methods", allow);
            ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            ctx.header("Access-Control-Max-Age", "600");
        }
    }

    private static String withoutPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static Set<String> list(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(value -> !value.isEmpty())
                .collect(Collectors.toSet());
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
