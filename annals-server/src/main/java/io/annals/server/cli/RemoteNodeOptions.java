package io.annals.server.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where the commands that operate a running node ({@code load}, {@code projections}) find it. */
final class RemoteNodeOptions {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--url", defaultValue = DEFAULT_URL, paramLabel = "URL",
            description = "The node's base URL (default: ${DEFAULT-VALUE}; env ANNALS_URL).")
    String url;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Bearer key for the user API (env ANNALS_API_KEY, as the node's); the admin key serves too.")
    String apiKey;

    @Option(names = "--admin-key", paramLabel = "KEY",
            description = "Bearer key for operations (env ANNALS_ADMIN_KEY, as the node's); without one, the --api-key "
                    + "(a node with no admin key lets it operate).")
    String adminKey;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with defaults for any option, keyed by option name (url=..., admin-key=...). "
                    + "Default: ./annals.properties when present, or env ANNALS_CONFIG.")
    Path configFile;

    /** The node at {@code --url}, presenting the key of the user API. */
    RemoteNode asUser() {
        return new RemoteNode(baseUri(), apiKey != null ? apiKey : adminKey);
    }

    /** The node at {@code --url}, presenting the key of operations. */
    RemoteNode asAdmin() {
        return new RemoteNode(baseUri(), adminKey != null ? adminKey : apiKey);
    }

    URI baseUri() {
        try {
            URI uri = new URI(url.endsWith("/") ? url : url + "/");
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new URISyntaxException(url, "not an http or https URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ParameterException(spec.commandLine(), "--url: " + url + " is not a node's address ("
                    + e.getReason() + "); for example " + DEFAULT_URL);
        }
    }
}
