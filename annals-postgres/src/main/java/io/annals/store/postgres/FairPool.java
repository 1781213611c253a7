package io.annals.store.postgres;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The store's own connection pool, handing its connections out first come, first served.
 * HikariCP lets a thread that returns a connection take it straight back, and hands connections
 * to waiting threads through a rendezvous they can miss; with many more virtual threads than
 * connections, some threads then wait for seconds while every connection turns over each
 * millisecond. Here the threads queue on a fair semaphore with a permit per connection, and a
 * thread that holds a permit always finds a free connection in the pool.
 */
final class FairPool implements DataSource, AutoCloseable {

    private final HikariDataSource pool;
    private final Semaphore permits;
    private final Duration timeout;

    FairPool(HikariDataSource pool) {
        this.pool = pool;
        this.permits = new Semaphore(pool.getMaximumPoolSize(), true);
        this.timeout = Duration.ofMillis(pool.getConnectionTimeout());
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            if (!permits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new SQLTransientConnectionException(pool.getPoolName() + " - no connection became free within "
                        + timeout.toMillis() + " ms (" + pool.getMaximumPoolSize() + " connections, "
                        + permits.getQueueLength() + " waiting)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a connection", e);
        }
        Connection connection;
        try {
            connection = pool.getConnection();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                new ReturnsPermit(connection));
    }

    /** Gives the permit back when the connection goes back to the pool, once however often it is closed. */
    private final class ReturnsPermit implements InvocationHandler {
        private final Connection connection;
        private final AtomicBoolean returned = new AtomicBoolean();

        ReturnsPermit(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
                try {
                    connection.close();
                } finally {
                    if (returned.compareAndSet(false, true)) {
                        permits.release();
                    }
                }
                return null;
            }
            try {
                return method.invoke(connection, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the store's pool connects as its configured user");
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
