package io.annals.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The hand-written reader must agree with {@link Instant#parse} on every text it accepts, and accept no invalid one. */
class IsoInstantsTest {

    @Property(tries = 2_000)
    void readsWhatInstantToStringWrites(@ForAll @LongRange(min = -62_135_596_800L, max = 253_402_300_799L) long seconds,
                                        @ForAll("nanos") int nanos) {
        Instant instant = Instant.ofEpochSecond(seconds, nanos);
        assertThat(IsoInstants.parseUtc(instant.toString())).isEqualTo(instant);
    }

    @Property(tries = 5_000)
    void agreesWithInstantParseOnNearlyValidTexts(@ForAll("nearlyValid") String text) {
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

    @Provide
    Arbitrary<Integer> nanos() {
        return Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 999).map(ms -> ms * 1_000_000),
                Arbitraries.integers().between(0, 999_999).map(us -> us * 1_000),
                Arbitraries.integers().between(0, 999_999_999));
    }

    /** Valid instants with one character replaced, dropped or doubled, and some of them untouched. */
    @Provide
    Arbitrary<String> nearlyValid() {
        Arbitrary<String> valid = Arbitraries.longs().between(-62_135_596_800L, 253_402_300_799L)
                .flatMap(seconds -> nanos().map(n -> Instant.ofEpochSecond(seconds, n).toString()));
        return valid.flatMap(text -> Arbitraries.integers().between(0, text.length() - 1).flatMap(at ->
                Arbitraries.of("keep", "replace", "drop", "double").flatMap(edit -> Arbitraries.chars()
                        .with("0123456789-:.TZ+ x9").map(c -> switch (edit) {
                            case "replace" -> text.substring(0, at) + c + text.substring(at + 1);
                            case "drop" -> text.substring(0, at) + text.substring(at + 1);
                            case "double" -> text.substring(0, at + 1) + text.substring(at);
                            default -> text;
                        }))));
    }
}
