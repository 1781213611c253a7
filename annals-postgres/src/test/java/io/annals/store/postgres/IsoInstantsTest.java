package io.annals.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.property.Draw;
import io.annals.property.Property;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written reader must agree with {@link Instant#parse} on every text it accepts, and accept no invalid one. */
class IsoInstantsTest {

    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the four-digit years the reader handles itself. */
    private static final long MIN_SECOND = -62_135_596_800L;
    private static final long MAX_SECOND = 253_402_300_799L;

    @Test
    void readsWhatInstantToStringWrites() {
        Property.check(2_000, draw -> {
            Instant instant = Instant.ofEpochSecond(draw.longBetween(MIN_SECOND, MAX_SECOND), nanos(draw));
            assertThat(IsoInstants.parseUtc(instant.toString())).isEqualTo(instant);
        });
    }

    @Test
    void agreesWithInstantParseOnNearlyValidTexts() {
        Property.check(5_000, draw -> {
            String text = nearlyValid(draw);
            Instant expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeParseException e) {
                assertThat(IsoInstants.parseUtc(text)).isNull();
                return;
            }
            Instant fast = IsoInstants.parseUtc(text);
            if (fast != null) {
                assertThat(fast).isEqualTo(expected);
            }
        });
    }

    @Test
    void leavesOtherValidFormsToInstantParse() {
        // an offset, a five-digit year, and shapes Instant.parse is lenient about: end of day, a leap
        // second, an empty fraction, lower case
        for (String text : new String[] {"2026-12-07T01:30:00+02:00", "+10000-01-01T00:00:00Z", "2026-12-07T24:00:00Z",
                                         "2026-12-07T23:59:60Z", "2026-12-07T23:59:59.Z", "2026-12-07t23:59:59z"}) {
            assertThat(Instant.parse(text)).as(text).isNotNull();
            assertThat(IsoInstants.parseUtc(text)).as(text).isNull();
        }
    }

    @Test
    void refusesImpossibleDatesAndTimes() {
        for (String text : new String[] {"2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-07T23:60:00Z",
                                         "2026-12-07T23:59:61Z", "2026-12-07T23:59:59.1234567890Z", "2026-12-07 23:59:59Z", "2026-12-07T23:59:59"}) {
            assertThatThrownBy(() -> Instant.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
            assertThat(IsoInstants.parseUtc(text)).as(text).isNull();
        }
    }

    /** Whole seconds, milliseconds, microseconds or nanoseconds, as Instant.toString writes each differently. */
    private static int nanos(Draw draw) {
        return draw.weighted(new int[] {1, 1, 1, 1}, List.of(
                () -> 0,
                () -> draw.intBetween(0, 999) * 1_000_000,
                () -> draw.intBetween(0, 999_999) * 1_000,
                () -> draw.intBetween(0, 999_999_999)));
    }

    /** Valid instants with one character replaced, dropped or doubled, and some of them untouched. */
    private static String nearlyValid(Draw draw) {
        String text = Instant.ofEpochSecond(draw.longBetween(MIN_SECOND, MAX_SECOND), nanos(draw)).toString();
        int at = draw.intBetween(0, text.length() - 1);
        char c = draw.charFrom("0123456789-:.TZ+ x9");
        return switch (draw.pick("keep", "replace", "drop", "double")) {
            case "replace" -> text.substring(0, at) + c + text.substring(at + 1);
            case "drop" -> text.substring(0, at) + text.substring(at + 1);
            case "double" -> text.substring(0, at + 1) + text.substring(at);
            default -> text;
        };
    }
}
