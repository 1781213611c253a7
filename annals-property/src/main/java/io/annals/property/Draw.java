package io.annals.property;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The random input of one case of a {@link Property}, all of it from one seed.
 *
 * <p>Numbers are not drawn uniformly alone: about one in eight is an edge of its range (the
 * bounds, their neighbours, zero and one), and three in eight have a random number of bits, so
 * that small values, and every order of magnitude, come up as often as the large values a uniform
 * draw nearly always gives. What a case drew at the top level (not the parts of a drawn string or
 * list) is kept, to be shown when the case fails.
 */
public final class Draw {

    private static final int SHOWN_VALUES = 40;
    private static final int SHOWN_LENGTH = 300;

    private final SplittableRandom random;
    private final List<String> drawn = new ArrayList<>();
    private int depth;

    Draw(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A number from {@code min} to {@code max}, both included. */
    public long longBetween(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " is above max " + max);
        }
        return shown(() -> switch (random.nextInt(8)) {
            case 0 -> edge(min, max);
            case 1, 2, 3 -> ofRandomBitLength(min, max);
            default -> uniform(min, max);
        });
    }

    /** A number from {@code min} to {@code max}, both included. */
    public int intBetween(int min, int max) {
        return (int) longBetween(min, max);
    }

    /** Any {@code long}, negative ones included. */
    public long anyLong() {
        return longBetween(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** True about {@code percent} times in a hundred. */
    public boolean percent(int percent) {
        return shown(() -> random.nextInt(100) < percent);
    }

    /** One of {@code choices}, each as likely. */
    public <T> T pick(List<T> choices) {
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("nothing to pick from");
        }
        return shown(() -> choices.get(random.nextInt(choices.size())));
    }

    @SafeVarargs
    public final <T> T pick(T... choices) {
        return pick(List.of(choices));
    }

    /**
     * The value of one of {@code choices}, chosen by weight: {@code weights[i]} in their sum is
     * how likely {@code choices[i]} is.
     */
    public <T> T weighted(int[] weights, List<Supplier<? extends T>> choices) {
        if (weights.length != choices.size() || weights.length == 0) {
            throw new IllegalArgumentException("one weight per choice");
        }
        return shown(() -> {
            int total = 0;
            for (int weight : weights) {
                total += weight;
            }
            int at = random.nextInt(total);
            int i = 0;
            while (at >= weights[i]) {
                at -= weights[i++];
            }
            return choices.get(i).get();
        });
    }

    /** One character of {@code chars}. */
    public char charFrom(String chars) {
        return shown(() -> chars.charAt(random.nextInt(chars.length())));
    }

    /**
     * Any UTF-16 code unit: mostly printable ASCII, some control characters, any other unit
     * (lone surrogates included) and the edges U+0000, U+007F, U+00A0, U+D800, U+DFFF, U+FFFE
     * and U+FFFF.
     */
    public char anyChar() {
        return shown(() -> switch (random.nextInt(8)) {
            case 0, 1, 2, 3 -> (char) (' ' + random.nextInt('~' - ' ' + 1));
            case 4 -> (char) random.nextInt(0x20);
            case 5 -> "\u0000\u007f\u00a0\ud800\udfff\ufffe\uffff".charAt(random.nextInt(7));
            default -> (char) random.nextInt(0x10000);
        });
    }

    /** A string of {@code minLength} to {@code maxLength} characters, each from {@code chars}. */
    public String string(int minLength, int maxLength, Supplier<Character> chars) {
        return shown(() -> {
            int length = intBetween(minLength, maxLength);
            var text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(chars.get().charValue());
            }
            return text.toString();
        });
    }

    /** A list of {@code minSize} to {@code maxSize} elements. */
    public <T> List<T> listOf(int minSize, int maxSize, Supplier<T> element) {
        return shown(() -> {
            int size = intBetween(minSize, maxSize);
            var list = new ArrayList<T>(size);
            for (int i = 0; i < size; i++) {
                list.add(element.get());
            }
            return list;
        });
    }

    /** Up to {@code maxSize} distinct elements of {@code from}, in its order. */
    public <T> Set<T> subsetOf(List<T> from, int maxSize) {
        return shown(() -> {
            int size = intBetween(0, Math.min(maxSize, from.size()));
            var chosen = new ArrayList<>(from);
            while (chosen.size() > size) {
                chosen.remove(random.nextInt(chosen.size()));
            }
            return new LinkedHashSet<>(chosen);
        });
    }

    /** What the case drew at the top level, in order, shortened. */
    String drawn() {
        return drawn.size() > SHOWN_VALUES ? drawn.subList(0, SHOWN_VALUES) + " ..." : drawn.toString();
    }

    private <T> T shown(Supplier<T> draw) {
        depth++;
        T value;
        try {
            value = draw.get();
        } finally {
            depth--;
        }
        if (depth == 0) {
            String text = value instanceof String string ? quoted(string) : Objects.toString(value);
            drawn.add(text.length() > SHOWN_LENGTH ? text.substring(0, SHOWN_LENGTH) + "..." : text);
        }
        return value;
    }

    private static String quoted(String text) {
        var out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c >= ' ' && c <= '~' && c != '\\' && c != '"') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.append('"').toString();
    }

    private long edge(long min, long max) {
        var edges = new ArrayList<Long>(List.of(min, max));
        if (min < max) {
            edges.add(min + 1);
            edges.add(max - 1);
        }
        for (long near : new long[] {0, 1, -1}) {
            if (near >= min && near <= max) {
                edges.add(near);
            }
        }
        return edges.get(random.nextInt(edges.size()));
    }

    /** A value whose distance from zero (or from {@code min}, when zero is out of range) has a random number of bits. */
    private long ofRandomBitLength(long min, long max) {
        int bits = random.nextInt(64);
        long magnitude = bits == 0 ? 0 : random.nextLong() >>> (64 - bits);
        long value;
        if (min <= 0 && max >= 0) {
            value = min < 0 && random.nextBoolean() ? -magnitude : magnitude;
        } else {
            value = min + magnitude;
            if (value < min) {
                return uniform(min, max); // overflowed
            }
        }
        return value >= min && value <= max ? value : uniform(min, max);
    }

    private long uniform(long min, long max) {
        if (max < Long.MAX_VALUE) {
            return random.nextLong(min, max + 1);
        }
        if (min > Long.MIN_VALUE) {
            return random.nextLong(min - 1, max) + 1;
        }
        return random.nextLong();
    }
}
