package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Plain JDBC transactions over the application's own pool: the connection is bound to the thread
 * for the duration of {@link #inTransaction}, and every JDBC adapter uses {@link #connection()}.
 */
public class JdbcTransactions implements Transactions {
  private final DataSource dataSource;
  private final ThreadLocal<Connection> current = new ThreadLocal<>();

  public JdbcTransactions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    if (current.get() != null) {
      return work.get();
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      current.set(c);
      try {
        T result = work.get();
        c.commit();
        return result;
      } catch (RuntimeException | Error e) {
        rollbackQuietly(c, e);
        throw e;
      } finally {
        current.remove();
      }
    } catch (SQLException e) {
      throw new DataAccessException("transaction failed", e);
    }
  }

  private static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** The connection of the transaction running on this thread. */
  public Connection connection() {
    Connection c = current.get();
    if (c == null) {
      throw new IllegalStateException("no transaction: call inside Transactions.inTransaction");
    }
    return c;
  }
}
