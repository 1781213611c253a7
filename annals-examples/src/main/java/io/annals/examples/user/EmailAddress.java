package io.annals.examples.user;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A syntactically plausible email address, trimmed and lower-cased so that two spellings of one
 * address compare equal. Deliverability is not this type's business.
 */
public record EmailAddress(String value) {

    private static final int MAX_LENGTH = 254;
    private static final Pattern PLAUSIBLE = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

    public EmailAddress {
        if (value == null) {
            throw new UserException.InvalidEmail("email is required");
        }
        value = value.strip().toLowerCase(Locale.ROOT);
        if (value.length() > MAX_LENGTH || !PLAUSIBLE.matcher(value).matches()
                || value.startsWith(".") || value.contains("..") || value.contains(".@")) {
            throw new UserException.InvalidEmail("'" + abbreviate(value) + "' is not a valid email address");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
