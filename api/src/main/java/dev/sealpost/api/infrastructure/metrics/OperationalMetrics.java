package dev.sealpost.api.infrastructure.metrics;

import dev.sealpost.api.infrastructure.jdbc.Database;
import dev.sealpost.api.infrastructure.jdbc.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import org.eclipse.microprofile.metrics.MetricRegistry;

/** Registers the {@link OperationalGauges} when the application starts. */
@ApplicationScoped
public class OperationalMetrics {
  void onStart(
      @Observes @Initialized(ApplicationScoped.class) Object event,
      MetricRegistry registry,
      Database database,
      Jdbc jdbc,
      Clock clock) {
    OperationalGauges.register(registry, database, jdbc, clock);
  }
}
