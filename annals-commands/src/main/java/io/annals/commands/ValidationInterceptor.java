package io.annals.commands;

import io.annals.aggregate.CommandContext;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks each command's Jakarta Bean Validation constraints (on record components:
 * {@code record RegisterUser(@NotBlank String userId, @Email String email)}) before it reaches
 * its handler, and answers {@link CommandResult.Invalid} with every violation, sorted by path.
 * Hibernate Validator is the implementation.
 */
public final class ValidationInterceptor implements CommandInterceptor {

    private final Validator validator;

    public ValidationInterceptor(Validator validator) {
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    /** With the default validator; the factory lives as long as the application. */
    public static ValidationInterceptor create() {
        ValidatorFactory factory = Validation.buildDefaultValidatorFactory();
        return new ValidationInterceptor(factory.getValidator());
    }

    @Override
    public CommandResult intercept(Object command, CommandContext context, Next next) {
        Set<ConstraintViolation<Object>> violations = validator.validate(command);
        if (violations.isEmpty()) {
            return next.proceed(command, context);
        }
        List<CommandResult.Violation> sorted = violations.stream()
                .map(violation -> new CommandResult.Violation(violation.getPropertyPath().toString(), violation.getMessage()))
                .sorted(Comparator.comparing(CommandResult.Violation::path).thenComparing(CommandResult.Violation::message))
                .toList();
        return new CommandResult.Invalid(context.commandId(), sorted);
    }
}
