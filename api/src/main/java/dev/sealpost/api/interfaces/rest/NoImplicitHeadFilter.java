package dev.sealpost.api.interfaces.rest;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/**
 * {@code HEAD} on {@code /v1} is a 405 (Allow: GET). JAX-RS answers a {@code HEAD} by running the
 * {@code GET} method and dropping its entity, so without this a {@code HEAD} of a reply manifest,
 * an inbox manifest or an audit export would record a fetch ({@code REPLY_FETCHED}, {@code
 * PARTNER_FETCHED}, {@code AUDIT_EXPORTED}) that never happened and open a blob stream nobody
 * reads. openapi.yaml declares no {@code HEAD}. Before matching (after it, Jersey already treats
 * the request as the {@code GET}), so every {@code /v1} path answers a {@code HEAD} alike, known or
 * not, with or without a key.
 */
@Provider
@PreMatching
public class NoImplicitHeadFilter implements ContainerRequestFilter {
  @Override
  public void filter(ContainerRequestContext request) {
    if (HttpMethod.HEAD.equals(request.getMethod())) {
      throw new NotAllowedException(HttpMethod.GET);
    }
  }
}
