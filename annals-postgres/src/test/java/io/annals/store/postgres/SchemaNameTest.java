package io.annals.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"annals", "_x", "tenant_42", "a23456789012345678901234567890123456789012345678901234567890123"})
    void acceptsPlainLowerCaseIdentifiers(String name) {
        assertThat(SchemaName.of(name).value()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Annals", "1abc", "a-b", "a b", "a;drop schema public", "\"x\"", "pg_catalog",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void refusesAnythingElse(String name) {
        assertThatThrownBy(() -> SchemaName.of(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema name");
    }
}
