package dev.sealpost.api.interfaces.rest;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.api.application.PartnerApiKeys;
import dev.sealpost.api.application.PartnerRegistry;
import dev.sealpost.api.application.PartnerRegistry.PartnerPage;
import dev.sealpost.api.application.TenantAdministration.CreatedApiKey;
import dev.sealpost.api.application.TenantAdministration.KeyPage;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.PrivateKeyPostedException;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.interfaces.web.RequestOrigin;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/partners} (ADMIN): register a partner with {@code {name, jwks}} (a JWK set
 * object) or {@code {name, jwksUri}}; answers {@code {"id"}}. {@code GET /v1/partners}, {@code
 * GET|PATCH|DELETE /v1/partners/{id}} (list, show, replace the keys, disable). {@code POST|GET
 * /v1/partners/{id}/api-keys}, {@code DELETE /v1/partners/{id}/api-keys/{keyId}}: the partner's
 * PARTNER keys. Another tenant's partner is 404.
 */
@Path("partners")
@Dependent
@Produces(MediaType.APPLICATION_JSON)
public class PartnerResource {
  @Inject PartnerRegistry registry;
  @Inject PartnerApiKeys partnerKeys;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  public record CreatePartnerResponse(String id) {}

  public record CreateApiKeyResponse(String id, String key) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Allowed(Role.ADMIN)
  public Response create(String body) {
    Map<String, Object> json = object(body, "a JSON body {name, jwks} or {name, jwksUri}");
    String name = string(json, "name");
    Optional<String> jwksUri = Optional.ofNullable(string(json, "jwksUri"));
    Optional<String> jwks = jwks(json);
    try {
      PartnerId id =
          registry.register(
              Callers.of(security), name, jwks, jwksUri, RequestOrigin.of(request).clientInfo());
      return Response.status(201).entity(new CreatePartnerResponse(id.value())).build();
    } catch (PrivateKeyPostedException e) {
      throw ProblemException.badField(e.field(), e.getMessage().substring(e.field().length() + 2));
    }
  }

  @POST
  @Path("{id}/api-keys")
  @Consumes(MediaType.APPLICATION_JSON)
  @Allowed(Role.ADMIN)
  public Response createApiKey(@PathParam("id") String partnerId, String body) {
    String name = null;
    if (body != null && !body.isBlank()) {
      name = string(object(body, "an optional JSON body {name}"), "name");
    }
    CreatedApiKey created =
        registry.createApiKey(
            Callers.of(security),
            new PartnerId(partnerId),
            name,
            RequestOrigin.of(request).clientInfo());
    return Response.status(201)
        .entity(new CreateApiKeyResponse(created.id().value(), created.key().reveal()))
        .build();
  }

  @GET
  @Allowed(Role.ADMIN)
  public PartnerView.Page list(
      @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
    PartnerPage page =
        registry.list(Callers.of(security), Optional.ofNullable(cursor), limit(limit));
    return new PartnerView.Page(
        page.items().stream().map(PartnerView::of).toList(), page.nextCursor().orElse(null));
  }

  @GET
  @Path("{id}")
  @Allowed(Role.ADMIN)
  public PartnerView get(@PathParam("id") String id) {
    return PartnerView.of(registry.get(Callers.of(security), new PartnerId(id)));
  }

  /** {@code {jwks}} or {@code {jwksUri}}: the partner's new keys, checked as at registration. */
  @PATCH
  @Path("{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Allowed(Role.ADMIN)
  public PartnerView update(@PathParam("id") String id, String body) {
    Map<String, Object> json = object(body, "a JSON body {jwks} or {jwksUri}");
    for (String field : json.keySet()) {
      if (!field.equals("jwks") && !field.equals("jwksUri")) {
        throw new InvalidInputException(field, "cannot be changed: give jwks or jwksUri");
      }
    }
    Optional<String> jwksUri = Optional.ofNullable(string(json, "jwksUri"));
    Optional<String> jwks = jwks(json);
    try {
      return PartnerView.of(
          registry.update(
              Callers.of(security),
              new PartnerId(id),
              jwks,
              jwksUri,
              RequestOrigin.of(request).clientInfo()));
    } catch (PrivateKeyPostedException e) {
      throw ProblemException.badField(e.field(), e.getMessage().substring(e.field().length() + 2));
    }
  }

  @DELETE
  @Path("{id}")
  @Allowed(Role.ADMIN)
  public Response disable(@PathParam("id") String id) {
    registry.disable(
        Callers.of(security), new PartnerId(id), RequestOrigin.of(request).clientInfo());
    return Response.noContent().build();
  }

  @GET
  @Path("{id}/api-keys")
  @Allowed(Role.ADMIN)
  public ApiKeyResource.ApiKeyPage listApiKeys(
      @PathParam("id") String id,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") String limit) {
    KeyPage page =
        partnerKeys.list(
            Callers.of(security), new PartnerId(id), Optional.ofNullable(cursor), limit(limit));
    return new ApiKeyResource.ApiKeyPage(
        page.items().stream().map(ApiKeyResource.ApiKeyView::of).toList(),
        page.nextCursor().orElse(null));
  }

  @DELETE
  @Path("{id}/api-keys/{keyId}")
  @Allowed(Role.ADMIN)
  public Response revokeApiKey(@PathParam("id") String id, @PathParam("keyId") String keyId) {
    partnerKeys.revoke(
        Callers.of(security), new PartnerId(id), keyId, RequestOrigin.of(request).clientInfo());
    return Response.noContent().build();
  }

  private static Optional<Integer> limit(String limit) {
    if (limit == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(limit));
    } catch (NumberFormatException e) {
      throw new InvalidInputException("limit", "must be a number between 1 and 200");
    }
  }

  private static Optional<String> jwks(Map<String, Object> json) {
    Object keys = json.get("jwks");
    if (keys instanceof Map<?, ?>) {
      @SuppressWarnings("unchecked")
      Map<String, Object> set = (Map<String, Object>) keys;
      return Optional.of(JSONObjectUtils.toJSONString(set));
    } else if (keys != null) {
      throw new InvalidInputException("jwks", "must be a JWK set object {\"keys\":[...]}");
    }
    return Optional.empty();
  }

  private static Map<String, Object> object(String body, String expected) {
    if (body == null || body.isBlank()) {
      throw ProblemException.badRequest(expected + " is required");
    }
    try {
      return JSONObjectUtils.parse(body);
    } catch (ParseException e) {
      throw ProblemException.badRequest("the body is not " + expected);
    }
  }

  private static String string(Map<String, Object> json, String field) {
    Object v = json.get(field);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw new InvalidInputException(field, "must be a string");
  }
}
