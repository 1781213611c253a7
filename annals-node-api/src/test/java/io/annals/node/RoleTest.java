package io.annals.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void aHigherRoleGrantsWhatALowerOneMay() {
        assertThat(Role.ADMIN.grants(Role.USER)).isTrue();
        assertThat(Role.USER.grants(Role.USER)).isTrue();
        assertThat(Role.USER.grants(Role.ADMIN)).isFalse();
        assertThat(Role.PUBLIC.grants(Role.USER)).isFalse();
        assertThat(Role.PUBLIC.label()).isEqualTo("public");
    }
}
