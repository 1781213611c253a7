package io.annals.property;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PropertyTest {

    @Test
    void runsTheGivenNumberOfCasesEachWithOtherInput() {
        var seen = new HashSet<Long>();
        var cases = new AtomicInteger();
        Property.check(200, draw -> {
            cases.incrementAndGet();
            seen.add(draw.anyLong());
        }, null);
        assertThat(cases).hasValue(200);
        assertThat(seen).as("edges repeat, the rest differ").hasSizeGreaterThan(150);
    }

    @Test
    void aFailureNamesItsSeedAndWhatWasDrawnAndTheSeedRunsTheSameCaseAgain() {
        var firstRun = new ArrayList<Long>();
        Throwable failure = catchFailure(() -> Property.check(1_000, draw -> {
            long value = draw.longBetween(0, 1_000_000);
            firstRun.add(value);
            assertThat(value).isLessThan(900_000);
        }, null));

        assertThat(failure).isInstanceOf(AssertionError.class).hasMessageContaining("-Dannals.seed=")
                .hasCauseInstanceOf(AssertionError.class);
        Matcher seed = Pattern.compile("seed (-?\\d+) ").matcher(failure.getMessage());
        assertThat(seed.find()).isTrue();
        long failing = firstRun.getLast();
        assertThat(failure.getMessage()).contains("drawn: [" + failing + "]");

        var again = new ArrayList<Long>();
        assertThatThrownBy(() -> Property.check(1_000, draw -> {
            again.add(draw.longBetween(0, 1_000_000));
            assertThat(again.getLast()).isLessThan(900_000);
        }, seed.group(1))).hasMessageContaining("case 1 of 1");
        assertThat(again).containsExactly(failing);
    }

    @Test
    void numbersStayInTheirRangeAndReachItsEdgesAndEveryMagnitude() {
        var values = new ArrayList<Long>();
        Property.check(4_000, draw -> {
            long min = draw.longBetween(-50, 50);
            long value = draw.longBetween(min, min + 10);
            assertThat(value).isBetween(min, min + 10);
            values.add(draw.longBetween(0, Long.MAX_VALUE));
        }, null);
        assertThat(values).contains(0L, 1L, Long.MAX_VALUE, Long.MAX_VALUE - 1);
        Set<Integer> magnitudes = new HashSet<>();
        values.forEach(v -> magnitudes.add(64 - Long.numberOfLeadingZeros(v)));
        assertThat(magnitudes).as("bit lengths reached").hasSizeGreaterThan(60);
        var any = new ArrayList<Long>();
        Property.check(1_000, draw -> any.add(draw.anyLong()), null);
        assertThat(any).contains(Long.MIN_VALUE, Long.MAX_VALUE, -1L, 0L, 1L);
    }

    @Test
    void stringsReachTheirShortestAndLongestLengthAndAnyCharacter() {
        var lengths = new HashSet<Integer>();
        var chars = new HashSet<Character>();
        Property.check(2_000, draw -> {
            String text = draw.string(0, 20, draw::anyChar);
            assertThat(text.length()).isBetween(0, 20);
            lengths.add(text.length());
            text.chars().forEach(c -> chars.add((char) c));
        }, null);
        assertThat(lengths).contains(0, 1, 20);
        assertThat(chars).contains('\u0000', '\ud800', '\uffff', 'a', ' ');
        assertThat(chars.stream().filter(c -> c > 0x7f)).hasSizeGreaterThan(100);
    }

    @Test
    void weightsPicksListsAndSubsets() {
        var picks = new AtomicInteger();
        var subsets = new HashSet<Set<String>>();
        Property.check(2_000, draw -> {
            String choice = draw.weighted(new int[] {9, 1}, List.of(() -> "often", () -> "rarely"));
            if (choice.equals("rarely")) {
                picks.incrementAndGet();
            }
            List<Integer> list = draw.listOf(1, 3, () -> draw.intBetween(0, 9));
            assertThat(list).hasSizeBetween(1, 3).allMatch(i -> i >= 0 && i <= 9);
            Set<String> subset = draw.subsetOf(List.of("a", "b", "c"), 2);
            assertThat(subset).hasSizeLessThanOrEqualTo(2);
            subsets.add(subset);
            assertThat(draw.pick("x", "y")).isIn("x", "y");
        }, null);
        assertThat(picks.get()).isBetween(100, 320);
        assertThat(subsets).hasSize(7); // {}, three singles, three pairs
    }

    private static Throwable catchFailure(Runnable run) {
        try {
            run.run();
        } catch (Throwable failure) {
            return failure;
        }
        throw new AssertionError("the property did not fail");
    }
}
