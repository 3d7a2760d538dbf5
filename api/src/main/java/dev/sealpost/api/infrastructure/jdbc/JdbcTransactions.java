package dev.sealpost.api.infrastructure.jdbc;

import com.zaxxer.hikari.HikariDataSource;
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
  private final GroupCommit group = new GroupCommit(this);

  public JdbcTransactions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** {@link GroupCommit}; inside a transaction, {@code work} joins it as any nested call does. */
  @Override
  public void runGrouped(Runnable work) {
    if (current.get() != null) {
      work.run();
      return;
    }
    group.run(work);
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
        evictIfBroken(e);
        rollbackQuietly(c, e);
        throw e;
      } finally {
        current.remove();
      }
    } catch (SQLException e) {
      evictIfBroken(e);
      throw new DataAccessException("transaction failed", e);
    }
  }

  /**
   * A connection that broke (SQLState class 08, or 57P0x: the server shut down) means the database
   * restarted, failed over or the network dropped, so the pool's idle connections are most likely
   * dead too. Evicting them all at once lets the next requests open fresh ones as soon as the
   * database is back, instead of each dead connection failing one more request with a 503 (found by
   * FaultIT: after an outage the first requests kept failing).
   */
  private void evictIfBroken(Throwable e) {
    if (dataSource instanceof HikariDataSource h && brokenConnection(e)) {
      var pool = h.getHikariPoolMXBean();
      if (pool != null) {
        pool.softEvictConnections();
      }
    }
  }

  static boolean brokenConnection(Throwable e) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 10; t = t.getCause(), depth++) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
    }
    return false;
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
