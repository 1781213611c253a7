package io.annals.aggregate;

/**
 * A command broke a business rule. Carries a stable, machine-readable {@code code} so that an API
 * can answer with a precise error without parsing the message.
 */
public class DomainException extends RuntimeException {

    private final String code;

    public DomainException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
