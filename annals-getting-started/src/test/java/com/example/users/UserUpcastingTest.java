package com.example.users;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.annals.event.Metadata;
import org.junit.jupiter.api.Test;

class UserUpcastingTest {

    @Test
    void readsARevisionOneEventAsRevisionTwo() {
        Object read = UserUpcasting.serializer().deserialize("UserRegistered",
                "{\"userId\":\"u1\",\"email\":\"a@b.c\",\"name\":\"Ann\"}", Metadata.EMPTY);

        assertEquals(new UserUpcasting.UserRegistered("u1", "a@b.c", "Ann"), read);
    }
}
