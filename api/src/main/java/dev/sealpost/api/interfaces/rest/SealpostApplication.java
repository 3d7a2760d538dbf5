package dev.sealpost.api.interfaces.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/**
 * The REST API, under {@code /v1}. (Health and metrics are MicroProfile's own at {@code /health}
 * and {@code /metrics}; {@code /openapi} is the curated openapi.yaml ({@link OpenApiServlet}); the
 * JWKS is {@link JwksServlet}; the viewer is static under {@code /v/}.)
 */
@ApplicationPath("/v1")
public class SealpostApplication extends Application {
  /**
   * No WADL: Jersey would otherwise describe every resource (test-only ones included) to anyone at
   * {@code /v1/application.wadl} and in the body of every OPTIONS answer. OPTIONS still answers the
   * allowed methods.
   */
  @Override
  public Map<String, Object> getProperties() {
    return Map.of("jersey.config.server.wadl.disableWadl", true);
  }
}
