package dev.sealpost.api.infrastructure.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sealpost.api.infrastructure.config.DatabaseConfig;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/**
 * The application's own HikariCP pool and Flyway migrations ({@code db/migration}, the same SQL on
 * H2 and PostgreSQL). An H2 file database's files are owner-only ({@link OwnerOnlyH2Files}).
 */
public class Database implements AutoCloseable {
  private final HikariDataSource dataSource;

  private Database(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Opens the pool and migrates the schema to the latest version. */
  public static Database start(DatabaseConfig config) {
    // An H2 file database is owner-only (0700 directory, 0600 files) whatever the umask.
    String url = OwnerOnlyH2Files.url(config.url());
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("sealpost");
    hc.setJdbcUrl(url);
    hc.setUsername(config.user());
    hc.setPassword(config.password());
    hc.setMaximumPoolSize(config.poolSize());
    hc.setMinimumIdle(Math.min(2, config.poolSize()));
    hc.setAutoCommit(true);
    hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    hc.setConnectionTimeout(10_000);
    hc.setInitializationFailTimeout(15_000);
    config.schema().ifPresent(schema -> hc.setConnectionInitSql(setSchemaSql(config, schema)));
    if (config.url().startsWith("jdbc:h2:")) {
      hc.setDriverClassName("org.h2.Driver");
    } else {
      hc.setDriverClassName("org.postgresql.Driver");
    }
    var flywayConfig =
        Flyway.configure(Database.class.getClassLoader())
            .dataSource(url, config.user(), config.password())
            .locations("classpath:db/migration")
            .cleanDisabled(true);
    config.schema().ifPresent(schema -> flywayConfig.schemas(schema).createSchemas(true));
    flywayConfig.load().migrate();
    return new Database(new HikariDataSource(hc));
  }

  private static String setSchemaSql(DatabaseConfig config, String schema) {
    // schema is checked to be a plain identifier by DatabaseConfig.
    return config.isPostgres() ? "SET search_path TO " + schema : "SET SCHEMA " + schema;
  }

  public HikariDataSource dataSource() {
    return dataSource;
  }

  /** True when a connection answers within two seconds. */
  public boolean healthy() {
    try (Connection c = dataSource.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
