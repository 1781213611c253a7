package io.annals.store.jsonlines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-written reader and writer against {@link Instant#parse} and {@link Instant#toString}:
 * the same answer on every text the reader accepts and every instant the writer writes, and no
 * invalid text accepted. Seeded; the seed is in every failure's description.
 */
class IsoInstantsTest {

    private static final long MIN_SECOND = -62_167_219_200L - 86_400L * 400; // some five-digit negative years too
    private static final long MAX_SECOND = 253_402_300_800L + 86_400L * 400; // and years after 9999

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void writesWhatInstantToStringWritesAndReadsItBack(long seed) {
        var random = new Random(seed);
        for (int i = 0; i < 5_000; i++) {
            Instant instant = Instant.ofEpochSecond(MIN_SECOND + (long) (random.nextDouble() * (MAX_SECOND - MIN_SECOND)),
                    nanos(random));
            String text = IsoInstants.format(instant);
            assertThat(text).as("seed %d: %s", seed, instant).isEqualTo(instant.toString());
            assertThat(IsoInstants.parse(text)).as("seed %d: %s", seed, text).isEqualTo(instant);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void agreesWithInstantParseOnNearlyValidTexts(long seed) {
        var random = new Random(seed);
        for (int i = 0; i < 5_000; i++) {
            String text = nearlyValid(random);
            Instant expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeParseException e) {
                assertThat(IsoInstants.parseUtc(text)).as("seed %d: %s", seed, text).isNull();
                continue;
            }
            Instant fast = IsoInstants.parseUtc(text);
            if (fast != null) {
                assertThat(fast).as("seed %d: %s", seed, text).isEqualTo(expected);
            }
        }
    }

    @Test
    void leavesOtherValidFormsToInstantParse() {
        // an offset, a five-digit year, and shapes Instant.parse is lenient about: end of day, a leap
        // second, an empty fraction, lower case
        for (String text : new String[] {"2026-12-07T01:30:00+02:00", "+10000-01-01T00:00:00Z", "2026-12-07T24:00:00Z",
                                         "2026-12-07T23:59:60Z", "2026-12-07T23:59:59.Z", "2026-12-07t23:59:59z"}) {
            assertThat(IsoInstants.parseUtc(text)).as(text).isNull();
            assertThat(IsoInstants.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void refusesImpossibleDatesAndTimes() {
        for (String text : new String[] {"2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-07T23:60:00Z",
                                         "2026-12-07T23:59:61Z", "2026-12-07T23:59:59.1234567890Z", "2026-12-07 23:59:59Z", "2026-12-07T23:59:59"}) {
            assertThat(IsoInstants.parseUtc(text)).as(text).isNull();
            assertThatThrownBy(() -> IsoInstants.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
        }
    }

    private static int nanos(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
    }

    /** A valid instant of four-digit years with one character replaced, dropped or doubled, or untouched. */
    private static String nearlyValid(Random random) {
        String text = Instant.ofEpochSecond(-62_135_596_800L + (long) (random.nextDouble() * 315_537_897_599L),
                nanos(random)).toString();
        int at = random.nextInt(text.length());
        char c = "0123456789-:.TZ+ x9".charAt(random.nextInt(19));
        return switch (random.nextInt(4)) {
            case 0 -> text.substring(0, at) + c + text.substring(at + 1);
            case 1 -> text.substring(0, at) + text.substring(at + 1);
            case 2 -> text.substring(0, at + 1) + text.substring(at);
            default -> text;
        };
    }
}
