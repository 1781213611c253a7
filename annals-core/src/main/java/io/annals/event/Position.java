package io.annals.event;

import java.util.HexFormat;

/**
 * A place in the global order of all events.
 *
 * <p>Positions are ordered by {@code (transaction, sequence)}. Stores whose commit order equals
 * their sequence order (SQLite, in-memory) use transaction {@code 0}; the PostgreSQL store uses
 * the writing transaction's id so that a reader never skips an event committed late with a low
 * sequence value (see {@code docs/adr/0003-global-ordering.md}).
 *
 * <p>{@link #toString()} gives an opaque 32-character token whose lexicographic order is the
 * global order; {@link #parse(String)} reads it back.
 */
public record Position(long transaction, long sequence) implements Comparable<Position> {

    /** Before the first event. Reading "after START" reads everything. */
    public static final Position START = new Position(0, 0);

    private static final HexFormat HEX = HexFormat.of();

    public Position {
        if (transaction < 0 || sequence < 0) {
            throw new IllegalArgumentException("position components must not be negative");
        }
    }

    public static Position of(long sequence) {
        return new Position(0, sequence);
    }

    public static Position parse(String token) {
        if (token == null || token.length() != 32 || !isHex(token)) {
            throw new IllegalArgumentException("position must be a 32-character token as returned by Annals");
        }
        long transaction = HexFormat.fromHexDigitsToLong(token, 0, 16);
        long sequence = HexFormat.fromHexDigitsToLong(token, 16, 32);
        if (transaction < 0 || sequence < 0) {
            throw new IllegalArgumentException("position token out of range");
        }
        return new Position(transaction, sequence);
    }

    public boolean isAfter(Position other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(Position other) {
        int byTransaction = Long.compare(transaction, other.transaction);
        return byTransaction != 0 ? byTransaction : Long.compare(sequence, other.sequence);
    }

    @Override
    public String toString() {
        return HEX.toHexDigits(transaction) + HEX.toHexDigits(sequence);
    }

    private static boolean isHex(String token) {
        for (int i = 0; i < token.length(); i++) {
            if (Character.digit(token.charAt(i), 16) < 0 || Character.isUpperCase(token.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
