package io.annals.server.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option not given on the command line comes from: first the environment variable
 * {@code ANNALS_<OPTION>} ({@code --jdbc-url} reads {@code ANNALS_JDBC_URL}), then the config
 * file's key {@code <option>} ({@code jdbc-url=...}), then the option's built-in default.
 */
public final class AnnalsDefaults implements IDefaultValueProvider {

    public static final String CONFIG_ENV = "ANNALS_CONFIG";
    public static final String DEFAULT_CONFIG_FILE = "annals.properties";

    private final Map<String, String> environment;
    private final Properties configFile;
    private final Path configPath;

    AnnalsDefaults(Map<String, String> environment, Properties configFile, Path configPath) {
        this.environment = Map.copyOf(environment);
        this.configFile = configFile;
        this.configPath = configPath;
    }

    /**
     * Refuses a config file key that is neither an option of some command ({@code optionNames},
     * without dashes) nor a module's setting ({@code module.key}): a misspelt key would otherwise
     * be ignored without a word.
     */
    void checkKeys(Set<String> optionNames) {
        for (String key : configFile.stringPropertyNames()) {
            if (!key.contains(".") && !optionNames.contains(key)) {
                throw new IllegalArgumentException("config file " + configPath + ": unknown key '" + key
                        + "'; a key is an option's name without dashes (port=8080) or a module's setting (store-api.heartbeat=5s)");
            }
        }
    }

    /**
     * Finds the config file: {@code --config FILE} among the arguments, else {@code ANNALS_CONFIG},
     * else {@code ./annals.properties} when it exists. A named file that is missing is an error.
     */
    public static AnnalsDefaults load(String[] args, Map<String, String> environment, Path workingDirectory) {
        Optional<Path> named = configArgument(args)
                .or(() -> Optional.ofNullable(environment.get(CONFIG_ENV)).filter(value -> !value.isBlank()).map(Path::of))
                .map(workingDirectory::resolve);
        Path file = named.orElse(workingDirectory.resolve(DEFAULT_CONFIG_FILE));
        var properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage());
            }
        } else if (named.isPresent()) {
            throw new IllegalArgumentException("config file " + file + " does not exist");
        }
        return new AnnalsDefaults(environment, properties, file);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
            return null;
        }
        String name = option.longestName().substring(2);
        String fromEnvironment = environment.get(environmentName(name));
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        return configFile.getProperty(name);
    }

    /**
     * A setting that is not an option ({@code store-api.heartbeat}): from the environment
     * ({@code ANNALS_STORE_API_HEARTBEAT}), else the config file's key of that name, else {@code null}.
     */
    public String setting(String key) {
        String fromEnvironment = environment.get(environmentName(key));
        return fromEnvironment != null ? fromEnvironment : configFile.getProperty(key);
    }

    public static String environmentName(String optionName) {
        return "ANNALS_" + optionName.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    private static Optional<Path> configArgument(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Optional.of(Path.of(args[i + 1]));
            }
            if (args[i].startsWith("--config=")) {
                return Optional.of(Path.of(args[i].substring("--config=".length())));
            }
        }
        return Optional.empty();
    }
}
