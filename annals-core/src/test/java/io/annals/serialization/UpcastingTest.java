package io.annals.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.inmemory.InMemoryEventStore;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UpcastingTest {

    /** Revision 3: revision 1 called the owner "holder" and had no currency; revision 2 stored the balance in cents. */
    @EventTypeName(value = "AccountOpened", revision = 3)
    record AccountOpened(String accountId, String owner, String currency, BigDecimal openingBalance) {
    }

    static final class HolderBecameOwner implements Upcaster {
        @Override
        public String eventType() {
            return "AccountOpened";
        }

        @Override
        public int fromRevision() {
            return 1;
        }

        @Override
        public SerializedEvent upcast(SerializedEvent event) {
            ObjectNode data = ((ObjectNode) event.data()).deepCopy();
            data.set("owner", data.remove("holder"));
            data.put("currency", "EUR");
            return new SerializedEvent(event.type(), 2, data);
        }
    }

    static final class CentsBecameDecimal implements Upcaster {
        @Override
        public String eventType() {
            return "AccountOpened";
        }

        @Override
        public int fromRevision() {
            return 2;
        }

        @Override
        public SerializedEvent upcast(SerializedEvent event) {
            ObjectNode data = ((ObjectNode) event.data()).deepCopy();
            long cents = data.remove("balanceCents").asLong();
            data.put("openingBalance", BigDecimal.valueOf(cents, 2));
            return new SerializedEvent(event.type(), 3, data);
        }
    }

    private final EventSerializer serializer = new EventSerializer(
            new EventTypeRegistry().register(AccountOpened.class),
            new UpcasterChain(List.of(new CentsBecameDecimal(), new HolderBecameOwner())));

    @Test
    void eventsWrittenInOldShapesAreReadAsTheCurrentClass() {
        var store = new InMemoryEventStore();
        StreamId stream = StreamId.of("account-1");
        store.append(stream, ExpectedVersion.noStream(), List.of(
                // written years ago, before revisions were recorded: revision 1
                new EventData(UUID.randomUUID(), "AccountOpened", "{\"accountId\":\"a1\",\"holder\":\"Ann\",\"balanceCents\":1050}",
                        Metadata.EMPTY, null),
                new EventData(UUID.randomUUID(), "AccountOpened", "{\"accountId\":\"a2\",\"owner\":\"Bob\",\"currency\":\"USD\",\"balanceCents\":7}",
                        Metadata.of(Metadata.SCHEMA_REVISION, "2"), null),
                serializer.serialize(new AccountOpened("a3", "Cy", "GBP", new BigDecimal("3.00")), Metadata.EMPTY)));

        List<Object> read = store.readStream(stream, 0, ReadDirection.FORWARD, 10).stream()
                .map(serializer::deserialize).toList();

        assertThat(read).containsExactly(
                new AccountOpened("a1", "Ann", "EUR", new BigDecimal("10.50")),
                new AccountOpened("a2", "Bob", "USD", new BigDecimal("0.07")),
                new AccountOpened("a3", "Cy", "GBP", new BigDecimal("3.00")));
        store.close();
    }

    @Test
    void theCurrentRevisionIsRecordedInMetadata() {
        EventData data = serializer.serialize(new AccountOpened("a", "o", "EUR", BigDecimal.ONE), Metadata.EMPTY);
        assertThat(data.type()).isEqualTo("AccountOpened");
        assertThat(data.metadata().get(Metadata.SCHEMA_REVISION)).contains("3");
    }

    @Test
    void anOldShapeWithoutAnUpcasterIsAClearError() {
        var withoutUpcasters = new EventSerializer(new EventTypeRegistry().register(AccountOpened.class));
        assertThatThrownBy(() -> withoutUpcasters.deserialize("AccountOpened", "{\"holder\":\"Ann\"}", Metadata.EMPTY))
                .isInstanceOf(SerializationException.class).hasMessageContaining("revision 1").hasMessageContaining("upcaster");
    }

    @Test
    void anUnknownTypeIsAClearError() {
        assertThatThrownBy(() -> serializer.deserialize(new RecordedEvent(StreamId.of("x"), 0, io.annals.event.Position.of(1),
                UUID.randomUUID(), "Nope", "{}", Metadata.EMPTY, java.time.Instant.now(), java.time.Instant.now())))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Nope");
    }

    @Test
    void twoUpcastersForTheSameShapeAreRefused() {
        assertThatThrownBy(() -> new UpcasterChain(List.of(new HolderBecameOwner(), new HolderBecameOwner())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
