package io.annals.examples.user;

/** Display-name rules shared by both aggregate styles. */
final class UserNames {

    static final int MAX_LENGTH = 200;

    private UserNames() {
    }

    static String validate(String name) {
        if (name == null || name.isBlank()) {
            throw new UserException.InvalidName("name is required");
        }
        String stripped = name.strip();
        if (stripped.length() > MAX_LENGTH) {
            throw new UserException.InvalidName("name must be at most " + MAX_LENGTH + " characters");
        }
        return stripped;
    }
}
