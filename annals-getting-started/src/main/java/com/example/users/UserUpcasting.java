package com.example.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeName;
import io.annals.serialization.EventTypeRegistry;
import io.annals.serialization.SerializedEvent;
import io.annals.serialization.Upcaster;
import io.annals.serialization.UpcasterChain;
import java.util.List;

/** UserRegistered, revision 2: name became displayName; events stored as revision 1 are read as revision 2. */
public final class UserUpcasting {

    @EventTypeName(value = "UserRegistered", revision = 2)
    public record UserRegistered(String userId, String email, String displayName) {}

    static final Upcaster NAME_BECAME_DISPLAY_NAME = new Upcaster() {
        public String eventType() { return "UserRegistered"; }
        public int fromRevision() { return 1; }
        public SerializedEvent upcast(SerializedEvent old) {
            ObjectNode data = ((ObjectNode) old.data()).deepCopy();
            data.set("displayName", data.remove("name"));
            return new SerializedEvent(old.type(), 2, data);
        }
    };

    public static EventSerializer serializer() {
        var registry = new EventTypeRegistry().register(UserRegistered.class);
        return new EventSerializer(registry, new UpcasterChain(List.of(NAME_BECAME_DISPLAY_NAME)));
    }
}
