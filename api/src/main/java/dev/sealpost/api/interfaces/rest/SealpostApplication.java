package dev.sealpost.api.interfaces.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The REST API, under {@code /v1}. (Health and metrics are MicroProfile's own at {@code /health}
 * and {@code /metrics}; {@code /openapi} is the curated openapi.yaml ({@link OpenApiServlet}); the
 * JWKS is {@link JwksServlet}; the viewer is static under {@code /v/}.)
 */
@ApplicationPath("/v1")
public class SealpostApplication extends Application {}
