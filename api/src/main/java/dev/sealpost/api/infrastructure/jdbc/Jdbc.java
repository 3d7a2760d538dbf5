package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.ApiKeyId;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.TenantId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small helpers so JDBC adapters read as SQL plus a row mapper. */
public final class Jdbc {
  private final JdbcTransactions tx;

  public Jdbc(JdbcTransactions tx) {
    this.tx = tx;
  }

  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  public int update(String sql, Object... params) {
    try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /**
   * Like {@link #update}, but a duplicate key leaves the surrounding transaction usable (a
   * savepoint is rolled back; PostgreSQL would otherwise abort the whole transaction) and returns
   * false.
   */
  public boolean updateUnlessDuplicate(String sql, Object... params) {
    java.sql.Connection c = tx.connection();
    java.sql.Savepoint sp = null;
    try {
      sp = c.setSavepoint();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bind(ps, params);
        ps.executeUpdate();
      }
      c.releaseSavepoint(sp);
      return true;
    } catch (SQLException e) {
      if (sp != null && isConstraintViolation(e)) {
        try {
          c.rollback(sp);
          return false;
        } catch (SQLException r) {
          e.addSuppressed(r);
        }
      }
      throw translate(e);
    }
  }

  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
    try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
        return rows;
      }
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = query(sql, mapper, params);
    if (rows.size() > 1) {
      throw new IllegalStateException("expected at most one row");
    }
    return rows.stream().findFirst();
  }

  private static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof Instant instant) {
        ps.setTimestamp(i + 1, Timestamp.from(instant));
      } else if (p instanceof Optional<?> opt) {
        Object v = opt.orElse(null);
        ps.setObject(i + 1, v instanceof Record r ? idValue(r) : v);
      } else if (p instanceof Enum<?> e) {
        ps.setString(i + 1, e.name());
      } else if (p instanceof Record r) {
        ps.setString(i + 1, idValue(r));
      } else {
        ps.setObject(i + 1, p);
      }
    }
  }

  /** A typed id's string: ids are converted here, at the SQL boundary. */
  private static String idValue(Record id) {
    if (id instanceof TenantId t) {
      return t.value();
    } else if (id instanceof EnvelopeId e) {
      return e.value();
    } else if (id instanceof RecipientId r) {
      return r.value();
    } else if (id instanceof ApiKeyId k) {
      return k.value();
    } else if (id instanceof PartnerId p) {
      return p.value();
    }
    throw new IllegalArgumentException("not a typed id: " + id.getClass().getSimpleName());
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp ts = rs.getTimestamp(column);
    return ts == null ? null : ts.toInstant();
  }

  /** SQLState class 23: integrity constraint violation (e.g. a duplicate key). */
  public static boolean isConstraintViolation(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("23");
  }

  private static RuntimeException translate(SQLException e) {
    if (isConstraintViolation(e)) {
      return new DuplicateKeyException(e);
    }
    return new DataAccessException("database statement failed", e);
  }
}
