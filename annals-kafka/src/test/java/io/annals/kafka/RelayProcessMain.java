package io.annals.kafka;

import io.annals.store.sqlite.SqliteEventStore;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A relay alone in a process, for the test that kills it: {@code <bootstrap> <store file> <relay id>}.
 * Small transactions, so that a kill lands between or inside them.
 */
public final class RelayProcessMain {

    private RelayProcessMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        var store = SqliteEventStore.open(Path.of(args[1]));
        var config = KafkaRelayConfig.of(args[0])
                .withRelayId(args[2], args[2] + ".offsets")
                .withRouter(TopicRouter.byCategory(args[2] + "."))
                .withTopics(3, (short) 1)
                .withBatches(10, Duration.ofMillis(5))
                .withSessionTimeout(Duration.ofSeconds(2));
        KafkaRelay.start(store, config);
        Thread.sleep(Duration.ofMinutes(5));
    }
}
