package io.annals.property;

import java.util.SplittableRandom;

/**
 * Runs a property over many random cases, each drawn from its own seed.
 *
 * <pre>{@code
 * @Test
 * void tokensRoundTrip() {
 *     Property.check(1_000, draw -> {
 *         var position = new Position(draw.longBetween(0, Long.MAX_VALUE), draw.longBetween(0, Long.MAX_VALUE));
 *         assertThat(Position.parse(position.toString())).isEqualTo(position);
 *     });
 * }
 * }</pre>
 *
 * <p>When a case fails, the failure names its seed and what it drew; run the test again with
 * {@code -Dannals.seed=<seed>} (Maven passes it on to the tests) and every property runs just that
 * one case. Without the property each run draws new seeds, so runs add up to more cases over time.
 */
public final class Property {

    /** The system property that makes every property run the one case of this seed. */
    public static final String SEED_PROPERTY = "annals.seed";

    private Property() {
    }

    /** One case of a property: draws its input from {@code draw} and asserts. */
    @FunctionalInterface
    public interface Case {
        void run(Draw draw) throws Exception;
    }

    /** Runs {@code property} on {@code tries} cases, or on the one case of {@code -Dannals.seed}. */
    public static void check(int tries, Case property) {
        check(tries, property, System.getProperty(SEED_PROPERTY));
    }

    static void check(int tries, Case property, String fixed) {
        if (tries < 1) {
            throw new IllegalArgumentException("tries must be positive, got " + tries);
        }
        if (fixed != null && !fixed.isBlank()) {
            runCase(parseSeed(fixed.trim()), 1, 1, property);
            return;
        }
        var seeds = new SplittableRandom();
        for (int i = 1; i <= tries; i++) {
            runCase(seeds.nextLong(), i, tries, property);
        }
    }

    private static void runCase(long seed, int number, int of, Case property) {
        var draw = new Draw(seed);
        try {
            property.run(draw);
        } catch (Exception | AssertionError failure) {
            throw new AssertionError("case " + number + " of " + of + " failed; seed " + seed
                    + " (-D" + SEED_PROPERTY + "=" + seed + " runs it again)\ndrawn: " + draw.drawn()
                    + "\n" + failure, failure);
        }
    }

    private static long parseSeed(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SEED_PROPERTY + " must be a seed printed by a failed case, got " + text, e);
        }
    }
}
