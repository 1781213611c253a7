package io.annals.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class CloudEventCodecTest {

    private final CloudEventCodec codec = new CloudEventCodec("/annals/unit");

    private static final RecordedEvent EVENT = new RecordedEvent(StreamId.of("order-7"), 3, new Position(12, 40),
            UUID.randomUUID(), "OrderPlaced", "{\n  \"total\": 12.5,\n  \"items\": [1, 2]\n}",
            new Metadata(Map.of(Metadata.CORRELATION_ID, "corr", "tenant", "acme", "x", "\"quoted\"")),
            Instant.parse("2026-05-06T07:08:09.000000123Z"), Instant.parse("2026-05-06T07:08:00Z"),
            Set.of(Tag.of("customer", "c-1"), Tag.of("note", "a,b")));

    private static ConsumerRecord<byte[], byte[]> received(ProducerRecord<String, byte[]> sent) {
        return new ConsumerRecord<>(sent.topic(), 0, 5, 0, TimestampType.CREATE_TIME, 0, 0,
                sent.key().getBytes(StandardCharsets.UTF_8), sent.value(), sent.headers(), Optional.empty());
    }

    @Test
    void anEventComesBackExactlyAsStored() {
        ProducerRecord<String, byte[]> record = codec.encode("order", EVENT);
        assertThat(record.key()).isEqualTo("order-7");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(EVENT.data());
        assertThat(record.headers().lastHeader(CloudEventHeaders.CAUSATION_ID)).isNull();
        assertThat(CloudEventCodec.decode(received(record))).isEqualTo(EVENT);
    }

    @Test
    void aRecordWithoutItsHeadersOrWithAValueThatIsNotJsonIsUndecodable() {
        ProducerRecord<String, byte[]> good = codec.encode("order", EVENT);
        var noId = new RecordHeaders(good.headers().toArray());
        noId.remove(CloudEventHeaders.ID);
        assertThatThrownBy(() -> CloudEventCodec.decode(received(
                new ProducerRecord<>("order", null, "order-7", good.value(), noId))))
                .isInstanceOf(UndecodableRecordException.class).hasMessageContaining("ce_id is missing");
        assertThatThrownBy(() -> CloudEventCodec.decode(received(new ProducerRecord<>("order", null, "order-7",
                "{\"a\":1} {\"b\":2}".getBytes(StandardCharsets.UTF_8), good.headers()))))
                .isInstanceOf(UndecodableRecordException.class).hasMessageContaining("more than one JSON document");
        var otherVersion = new RecordHeaders(good.headers().toArray());
        otherVersion.remove(CloudEventHeaders.SPEC_VERSION);
        otherVersion.add(CloudEventHeaders.SPEC_VERSION, "0.3".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> CloudEventCodec.decode(received(
                new ProducerRecord<>("order", null, "order-7", good.value(), otherVersion))))
                .isInstanceOf(UndecodableRecordException.class).hasMessageContaining("expected 1.0");
    }

    @Test
    void theDefaultRouterPutsEachCategoryOnATopicOfALegalName() {
        assertThat(TopicRouter.byCategory("").topicFor(StreamId.of("order-1-2"))).isEqualTo("order");
        assertThat(TopicRouter.byCategory("shop.").topicFor(StreamId.of("user@x:1"))).isEqualTo("shop.user_x_1");
        assertThatThrownBy(() -> TopicRouter.byCategory("bad prefix"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid Kafka topic name");
    }

    @Test
    void retriesWaitLongerEachTimeUpToTheLimit() {
        var policy = new RetryPolicy(6, Duration.ofMillis(100), 3.0, Duration.ofSeconds(1));
        assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofMillis(300));
        assertThat(policy.delayAfter(3)).isEqualTo(Duration.ofMillis(900));
        assertThat(policy.delayAfter(4)).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, 2, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
