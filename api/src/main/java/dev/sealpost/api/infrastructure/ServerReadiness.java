package dev.sealpost.api.infrastructure;

import dev.sealpost.api.domain.ReadinessProbe;
import dev.sealpost.api.infrastructure.jdbc.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** {@link ReadinessProbe} from the start-up bean and the connection pool. */
@ApplicationScoped
public class ServerReadiness implements ReadinessProbe {
  private final ServerStartup startup;
  private final Database database;

  @Inject
  public ServerReadiness(ServerStartup startup, Database database) {
    this.startup = startup;
    this.database = database;
  }

  @Override
  public boolean started() {
    return startup.started();
  }

  @Override
  public boolean databaseHealthy() {
    return database.healthy();
  }
}
