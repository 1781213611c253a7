package io.annals.event;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Event ids that are kind to databases. Random (version 4) ids scatter every insert over the
 * whole unique index on (stream, event id); time-ordered (version 7, RFC 9562) ids land next to
 * each other, so an append touches a few index pages instead of one per event.
 */
public final class EventIds {

    /**
     * Several DRBG generators, one picked at random per id. The platform default (NativePRNG)
     * serialises every instance on one shared lock held across a read of {@code /dev/urandom},
     * and virtual threads queued on a contended monitor get it one by one through the
     * scheduler: many concurrent commands waited for their ids. DRBG instances share nothing.
     */
    private static final SecureRandom[] RANDOMS = generators(32);

    private EventIds() {
    }

    private static SecureRandom[] generators(int count) {
        var generators = new SecureRandom[count];
        for (int i = 0; i < count; i++) {
            try {
                generators[i] = SecureRandom.getInstance("DRBG");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK since 9 has DRBG", e);
            }
        }
        return generators;
    }

    /** A new version 7 UUID: 48 bits of Unix milliseconds, then random bits. */
    public static UUID timeOrdered() {
        return timeOrdered(Clock.systemUTC());
    }

    public static UUID timeOrdered(Clock clock) {
        long millis = clock.millis();
        byte[] random = new byte[16];
        RANDOMS[ThreadLocalRandom.current().nextInt(RANDOMS.length)].nextBytes(random);
        ByteBuffer bits = ByteBuffer.wrap(random);
        long randomHigh = bits.getLong();
        long randomLow = bits.getLong();
        long msb = (millis << 16) | 0x7000L | (randomHigh & 0x0FFFL);
        long lsb = (randomLow & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /**
     * The {@code index}th id derived from {@code source}: the same inputs always give the same id,
     * and a time-ordered source keeps its time prefix, so derived ids stay time-ordered too.
     */
    public static UUID derived(UUID source, int index) {
        byte[] digest = sha256(source + "/" + index);
        ByteBuffer bytes = ByteBuffer.wrap(digest);
        long hashHigh = bytes.getLong();
        long hashLow = bytes.getLong();
        long lsb = (hashLow & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        if (source.version() == 7) {
            return new UUID(source.getMostSignificantBits(), lsb);
        }
        // name-based: version 8 (custom) with the hash in every free bit
        long msb = (hashHigh & ~0xF000L) | 0x8000L;
        return new UUID(msb, lsb);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
