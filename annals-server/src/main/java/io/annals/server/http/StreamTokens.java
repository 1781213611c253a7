package io.annals.server.http;

import io.annals.node.Role;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived tokens that open an event stream from a browser, whose {@code EventSource} cannot
 * send an {@code Authorization} header. A caller with a key asks for one and puts it in the
 * stream's URL ({@code ?access_token=}); it grants the caller's role, only to open event streams,
 * and only for {@link #LIFETIME}, so that the URL a log or a browser's history keeps is soon
 * worthless. A token is the role and its expiry signed with a secret the node draws at start:
 * nothing is stored, and a restart voids every token.
 */
public final class StreamTokens {

    public static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final String MAC = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec secret;

    public StreamTokens() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        secret = new SecretKeySpec(key, MAC);
    }

    /** A token that grants {@code role} until {@code now} plus the lifetime. */
    public String mint(Role role, Instant now) {
        String claims = role.label() + "." + now.plus(LIFETIME).getEpochSecond();
        return ENCODER.encodeToString(claims.getBytes(StandardCharsets.US_ASCII)) + "." + ENCODER.encodeToString(sign(claims));
    }

    /** The role {@code token} grants at {@code now}: {@link Role#PUBLIC} for a forged, damaged or expired one. */
    public Role roleOf(String token, Instant now) {
        if (token == null || token.length() > 200) {
            return Role.PUBLIC;
        }
        int dot = token.indexOf('.');
        if (dot < 0) {
            return Role.PUBLIC;
        }
        try {
            String claims = new String(DECODER.decode(token.substring(0, dot)), StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(sign(claims), DECODER.decode(token.substring(dot + 1)))) {
                return Role.PUBLIC;
            }
            int split = claims.indexOf('.');
            long expires = Long.parseLong(claims.substring(split + 1));
            if (now.getEpochSecond() >= expires) {
                return Role.PUBLIC;
            }
            return switch (claims.substring(0, split)) {
                case "admin" -> Role.ADMIN;
                case "user" -> Role.USER;
                default -> Role.PUBLIC;
            };
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Role.PUBLIC;
        }
    }

    private byte[] sign(String claims) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(secret);
            return mac.doFinal(claims.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
