package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.infrastructure.config.DatabaseConfig;
import java.util.Optional;
import java.util.UUID;

/** For unit tests: a fresh, private in-memory H2 database, migrated by the real Flyway scripts. */
public final class InMemoryDatabase {
  private InMemoryDatabase() {}

  public static Database start(int poolSize) {
    return Database.start(
        new DatabaseConfig(
            "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
            "sa",
            "",
            Optional.empty(),
            poolSize));
  }
}
