package io.annals.serialization;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names an event class's stored type and its current schema revision. Without it, the type name
 * is the class's simple name and the revision is 1. Renaming a class is then safe as long as the
 * annotation keeps the old name.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventTypeName {

    String value();

    /** Bump when the stored shape changes, and register an {@link Upcaster} from the old revision. */
    int revision() default 1;
}
