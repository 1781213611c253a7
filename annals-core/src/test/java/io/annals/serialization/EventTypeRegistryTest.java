package io.annals.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventTypeRegistryTest {

    sealed interface ShopEvent {
    }

    record CartOpened(String id) implements ShopEvent {
    }

    sealed interface PaymentEvent extends ShopEvent {
    }

    @EventTypeName("shop.PaymentTaken")
    record PaymentTaken(String id) implements PaymentEvent {
    }

    record PaymentRefunded(String id) implements PaymentEvent {
    }

    @Test
    void registersEveryRecordOfASealedHierarchyRecursively() {
        var registry = new EventTypeRegistry().registerSealed(ShopEvent.class);
        assertThat(registry.forClass(CartOpened.class).name()).isEqualTo("CartOpened");
        assertThat(registry.forClass(PaymentTaken.class).name()).isEqualTo("shop.PaymentTaken");
        assertThat(registry.forName("PaymentRefunded")).get().extracting(EventTypeRegistry.EventType::javaType)
                .isEqualTo(PaymentRefunded.class);
    }

    @Test
    void aNameCannotBelongToTwoClasses() {
        var registry = new EventTypeRegistry().register(CartOpened.class, "Same", 1);
        assertThatThrownBy(() -> registry.register(PaymentRefunded.class, "Same", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnregisteredClassIsAClearError() {
        assertThatThrownBy(() -> new EventTypeRegistry().forClass(CartOpened.class))
                .hasMessageContaining("CartOpened").hasMessageContaining("not registered");
    }
}
