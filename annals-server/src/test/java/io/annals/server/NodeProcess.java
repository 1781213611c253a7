package io.annals.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real node jar running as a child process, as {@code ./annals serve} runs it. */
final class NodeProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+) with store");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<URI> baseUri = new CompletableFuture<>();
    private final Thread pump;

    private NodeProcess(Process process) {
        this.process = process;
        this.pump = Thread.ofVirtual().name("node-output").start(this::pump);
    }

    static NodeProcess start(Path workingDirectory, String... serveArgs) throws IOException {
        String jar = System.getProperty("annals.jar", "target/annals-server.jar");
        String java = System.getProperty("annals.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        var command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-jar",
                Path.of(jar).toAbsolutePath().toString(), "serve", "--port", "0"));
        command.addAll(List.of(serveArgs));
        var builder = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("ANNALS_"));
        return new NodeProcess(builder.start());
    }

    private void pump() {
        try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                Matcher matcher = LISTENING.matcher(line);
                if (matcher.find()) {
                    baseUri.complete(URI.create(matcher.group(1)));
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            baseUri.completeExceptionally(new IllegalStateException("the node exited before listening:\n"
                    + String.join("\n", output)));
        }
    }

    /** Waits for the start-up line and returns the address it names. */
    URI awaitListening() throws Exception {
        return baseUri.get(60, TimeUnit.SECONDS);
    }

    List<String> output() {
        return output;
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits; returns the exit code. */
    int terminate() throws InterruptedException {
        // through the handle, unlike Process.destroy(), the output pipe stays open to read the last lines
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the node did not stop within 30 s of SIGTERM");
        }
        pump.join(Duration.ofSeconds(10));
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
