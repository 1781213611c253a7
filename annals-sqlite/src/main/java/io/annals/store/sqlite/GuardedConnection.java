package io.annals.store.sqlite;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Set;

/**
 * The writer connection as the caller's transaction work sees it: everything works except ending
 * or reshaping the transaction, which belongs to the store.
 */
final class GuardedConnection {

    private static final Set<String> REFUSED = Set.of("commit", "rollback", "close", "abort", "setAutoCommit",
            "setSavepoint", "releaseSavepoint", "setTransactionIsolation", "setReadOnly");

    private GuardedConnection() {
    }

    static Connection wrap(Connection connection, Runnable requireActive) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, arguments) -> invoke(proxy, connection, requireActive, method, arguments));
    }

    private static Object invoke(Object proxy, Connection connection, Runnable requireActive, Method method, Object[] arguments)
            throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> arguments[0] == proxy;
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "store transaction connection";
            };
        }
        if (REFUSED.contains(method.getName())) {
            throw new IllegalStateException("Connection." + method.getName()
                    + " is not allowed inside inTransaction: the store commits or rolls back when the callback returns or throws");
        }
        requireActive.run();
        try {
            return method.invoke(connection, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
