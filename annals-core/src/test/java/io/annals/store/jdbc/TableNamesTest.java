package io.annals.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Only plain lower-case identifiers reach SQL as table names. */
class TableNamesTest {

    @Test
    void aPlainLowerCaseNameIsKept() {
        assertThat(TableNames.requireValid("projection_checkpoints")).isEqualTo("projection_checkpoints");
        assertThat(TableNames.requireValid("_t1")).isEqualTo("_t1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Users", "1users", "users;drop table events", "users.x", "users x", "\"users\"",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void anythingElseIsRefused(String name) {
        assertThatThrownBy(() -> TableNames.requireValid(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table name");
    }
}
