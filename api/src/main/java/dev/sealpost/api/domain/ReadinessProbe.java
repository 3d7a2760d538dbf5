package dev.sealpost.api.domain;

/**
 * What the health checks ask of the running server besides each port's own {@code healthy()}: has
 * start-up finished, and does the database answer. Implemented in infrastructure, so the HTTP edge
 * needs no adapter class.
 */
public interface ReadinessProbe {
  /** Start-up finished: configuration valid, schema migrated, adapters checked. */
  boolean started();

  /** The database answers. */
  boolean databaseHealthy();
}
