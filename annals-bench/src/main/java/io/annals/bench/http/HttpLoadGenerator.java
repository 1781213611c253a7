package io.annals.bench.http;

import io.annals.bench.measure.LatencySamples;
import io.annals.bench.measure.ThroughputRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop HTTP/1.1 load generator in the manner of wrk: one platform thread drives every
 * keep-alive connection through one {@link Selector}, each connection with exactly one request
 * outstanding (no pipelining); the next request goes out when the previous answer has arrived.
 * <p>
 * This is what lets a benchmark run client and node on the same two cores and still measure the
 * node: a blocking socket per client on a virtual thread costs a park, a poller registration and
 * an unpark per request, about as much CPU as the node's own HTTP layer; here one {@code epoll}
 * wake-up serves every connection that is ready, and a request is one write and one read.
 * <p>
 * Like {@link ThroughputRunner}, it runs a warm-up and then a fixed window: an answer counts,
 * and its latency (from just before its request was written to when its last byte was read) is
 * kept, when it arrives inside the window. Answers are framed by {@code Content-Length}
 * ({@link ResponseFramer}); an answer the check refuses, a closed connection or a request left
 * without an answer for {@code timeout} ends the run with an exception, so that a stuck
 * connection cannot quietly leave the others to carry the load.
 */
final class HttpLoadGenerator {

    /** The request a connection sends as its {@code iteration}-th (from 0), as the bytes to write. */
    @FunctionalInterface
    interface Requests {
        byte[] request(int connection, long iteration);
    }

    /** Checks the answer to a connection's {@code iteration}-th request; throws to end the run. */
    @FunctionalInterface
    interface Answers {
        void check(int connection, long iteration, ResponseFramer.Response response) throws IOException;
    }

    private final InetSocketAddress server;
    private final int connections;
    private final Duration timeout;
    private final Requests requests;
    private final Answers answers;

    HttpLoadGenerator(InetSocketAddress server, int connections, Duration timeout, Requests requests, Answers answers) {
        if (connections < 1) {
            throw new IllegalArgumentException("at least one connection");
        }
        this.server = server;
        this.connections = connections;
        this.timeout = timeout;
        this.requests = requests;
        this.answers = answers;
    }

    /** Runs the load for {@code warmup}, then measures for {@code measure}, on a platform thread of its own. */
    ThroughputRunner.Result run(Duration warmup, Duration measure) throws Exception {
        var result = new AtomicReference<ThroughputRunner.Result>();
        var failure = new AtomicReference<Exception>();
        Thread driver = Thread.ofPlatform().name("http-load").start(() -> {
            try (var run = new Run(warmup, measure)) {
                result.set(run.drive());
            } catch (Exception e) {
                failure.set(e);
            }
        });
        driver.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    /** One connection and the request it has outstanding. */
    private static final class Connection {
        final int index;
        final SocketChannel channel;
        final ResponseFramer framer = new ResponseFramer();
        SelectionKey key;
        long iteration;
        long sentAt;
        ByteBuffer unsent;

        Connection(int index, SocketChannel channel) {
            this.index = index;
            this.channel = channel;
        }
    }

    /** The state of one run, owned by the driving thread. */
    private final class Run implements AutoCloseable {
        private final Selector selector = Selector.open();
        private final List<Connection> open = new ArrayList<>();
        private final LatencySamples latencies = new LatencySamples(64 * 1024);
        private final Duration warmup;
        private final Duration measure;
        private long windowStart;
        private long windowEnd;
        private long completed;
        private long nextTimeoutCheck;

        Run(Duration warmup, Duration measure) throws IOException {
            this.warmup = warmup;
            this.measure = measure;
        }

        ThroughputRunner.Result drive() throws IOException {
            for (int c = 0; c < connections; c++) {
                var channel = SocketChannel.open();
                var connection = new Connection(c, channel);
                open.add(connection);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.connect(server);
                channel.configureBlocking(false);
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            }
            long start = System.nanoTime();
            windowStart = start + warmup.toNanos();
            windowEnd = windowStart + measure.toNanos();
            for (Connection connection : open) {
                send(connection, start);
            }
            for (long now = start; now < windowEnd; now = System.nanoTime()) {
                checkTimeouts(now);
                long waitMillis = Math.clamp((windowEnd - now) / 1_000_000, 1, 100);
                try {
                    selector.select(this::onReady, waitMillis);
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }
            return new ThroughputRunner.Result(completed * 1e9 / (windowEnd - windowStart), latencies);
        }

        /** Fails the run if any request has waited longer than the timeout; looks a few times a second, not per wake-up. */
        private void checkTimeouts(long now) throws IOException {
            if (now < nextTimeoutCheck) {
                return;
            }
            nextTimeoutCheck = now + Math.min(timeout.toNanos() / 2, 100_000_000L);
            for (Connection connection : open) {
                if (now - connection.sentAt > timeout.toNanos()) {
                    throw new IOException("connection " + connection.index + ": no answer for " + timeout.toMillis() + " ms");
                }
            }
        }

        private void onReady(SelectionKey key) {
            var connection = (Connection) key.attachment();
            try {
                if (key.isWritable()) {
                    writeUnsent(connection);
                }
                if (key.isReadable()) {
                    read(connection);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void read(Connection connection) throws IOException {
            if (connection.channel.read(connection.framer.readBuffer()) < 0) {
                throw new IOException("the server closed connection " + connection.index
                        + (connection.framer.partial() ? " inside an answer" : " while a request was outstanding"));
            }
            ResponseFramer.Response response = connection.framer.next();
            if (response == null) {
                return;
            }
            long now = System.nanoTime();
            if (connection.framer.partial()) {
                throw new IOException("connection " + connection.index + " received bytes after the answer that no request asked for");
            }
            answers.check(connection.index, connection.iteration, response);
            if (response.closeAfter()) {
                throw new IOException("the server closed keep-alive connection " + connection.index
                        + " (Connection: close after " + response.status() + ")");
            }
            if (now >= windowStart && now < windowEnd) {
                completed++;
                latencies.add(now - connection.sentAt);
            }
            connection.iteration++;
            send(connection, now);
        }

        private void send(Connection connection, long now) throws IOException {
            connection.sentAt = now;
            connection.unsent = ByteBuffer.wrap(requests.request(connection.index, connection.iteration));
            writeUnsent(connection);
        }

        /** Writes what the socket takes; waits for room (OP_WRITE) only when it takes less than all. */
        private void writeUnsent(Connection connection) throws IOException {
            connection.channel.write(connection.unsent);
            int interest = connection.unsent.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
            if (connection.key.interestOps() != interest) {
                connection.key.interestOps(interest);
            }
        }

        @Override
        public void close() throws IOException {
            IOException failure = null;
            for (Connection connection : open) {
                try {
                    connection.channel.close();
                } catch (IOException e) {
                    failure = e;
                }
            }
            selector.close();
            if (failure != null) {
                throw failure;
            }
        }
    }
}
