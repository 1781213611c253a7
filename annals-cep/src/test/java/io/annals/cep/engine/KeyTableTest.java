package io.annals.cep.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Random adds, lookups and removals against java.util.HashMap, with keys that collide. */
class KeyTableTest {

    static final class State extends Partition<Integer> {
        State(Integer key) {
            super(key);
        }

        @Override
        int size() {
            return 0;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void behaves_like_a_hash_map(long seed) {
        var random = new Random(seed);
        var table = new KeyTable<Integer, State>();
        var reference = new HashMap<Integer, State>();
        int range = 1 + random.nextInt(5000);
        for (int step = 0; step < 50_000; step++) {
            Integer key = random.nextInt(range) * (random.nextBoolean() ? 1 : 65_536);
            State present = reference.get(key);
            assertThat(table.get(key)).as("seed %d step %d", seed, step).isSameAs(present);
            if (present == null && random.nextInt(3) > 0) {
                var added = new State(key);
                table.add(added);
                reference.put(key, added);
            } else if (present != null && random.nextBoolean()) {
                table.remove(present);
                reference.remove(key);
            }
            assertThat(table.size()).isEqualTo(reference.size());
        }
        reference.forEach((key, state) -> assertThat(table.get(key)).isSameAs(state));
    }
}
