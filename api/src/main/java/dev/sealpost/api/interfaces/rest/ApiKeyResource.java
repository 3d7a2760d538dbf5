package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.TenantAdministration;
import dev.sealpost.api.application.TenantAdministration.CreatedApiKey;
import dev.sealpost.api.application.TenantAdministration.KeyPage;
import dev.sealpost.api.domain.ApiKey;
import dev.sealpost.api.domain.ApiKeyId;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.interfaces.web.RequestOrigin;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The caller's tenant's API keys (ADMIN): {@code POST /v1/api-keys} (a new key, shown once), {@code
 * GET /v1/api-keys} (never a secret or its hash), {@code DELETE /v1/api-keys/{id}} (revoke; 204,
 * again 204 for a revoked key, 404 for an unknown or another tenant's key, 409 {@code
 * last-admin-key} for the tenant's last live ADMIN key).
 */
@Path("api-keys")
@Dependent
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {
  @Inject TenantAdministration administration;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  /**
   * {@code rateLimitPerMinute} is optional: the server default applies without it. {@code
   * expiresAt} (RFC 3339) is optional: without it the key lives until revoked.
   */
  public record CreateApiKeyRequest(
      String role, String name, Integer rateLimitPerMinute, String expiresAt) {}

  public record CreateApiKeyResponse(String id, String key) {}

  /** A key as listed: what it is and when it was used, never its secret. */
  @JsonbNillable
  @JsonbPropertyOrder({
    "id",
    "name",
    "role",
    "partnerId",
    "bootstrap",
    "createdAt",
    "lastUsedAt",
    "expiresAt",
    "revokedAt"
  })
  public record ApiKeyView(
      String id,
      String name,
      String role,
      String partnerId,
      boolean bootstrap,
      String createdAt,
      String lastUsedAt,
      String expiresAt,
      String revokedAt) {
    static ApiKeyView of(ApiKey k) {
      return new ApiKeyView(
          k.id().value(),
          k.name(),
          k.role().name(),
          k.partnerId().map(PartnerId::value).orElse(null),
          k.bootstrap(),
          k.createdAt().toString(),
          k.lastUsedAt().map(Instant::toString).orElse(null),
          k.expiresAt().map(Instant::toString).orElse(null),
          k.revokedAt().map(Instant::toString).orElse(null));
    }
  }

  @JsonbNillable
  public record ApiKeyPage(List<ApiKeyView> items, String nextCursor) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Allowed(Role.ADMIN)
  public Response create(CreateApiKeyRequest body) {
    if (body == null) {
      throw ProblemException.badRequest("a JSON body {role, name} is required");
    }
    CreatedApiKey created =
        administration.createApiKey(
            Callers.of(security),
            role(body.role()),
            body.name(),
            Optional.ofNullable(body.rateLimitPerMinute()),
            Optional.ofNullable(body.expiresAt()).map(ApiKeyResource::expiresAt),
            Optional.empty(),
            RequestOrigin.of(request).clientInfo());
    return Response.status(201)
        .entity(new CreateApiKeyResponse(created.id().value(), created.key().reveal()))
        .build();
  }

  @GET
  @Allowed(Role.ADMIN)
  public ApiKeyPage list(@QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
    Optional<Integer> n = Optional.empty();
    if (limit != null) {
      try {
        n = Optional.of(Integer.parseInt(limit));
      } catch (NumberFormatException e) {
        throw new InvalidInputException("limit", "must be a number between 1 and 200");
      }
    }
    KeyPage page = administration.listApiKeys(Callers.of(security), Optional.ofNullable(cursor), n);
    return new ApiKeyPage(
        page.items().stream().map(ApiKeyView::of).toList(), page.nextCursor().orElse(null));
  }

  @DELETE
  @Path("{id}")
  @Allowed(Role.ADMIN)
  public Response revoke(@PathParam("id") String id) {
    administration.revokeApiKey(
        Callers.of(security), new ApiKeyId(id), RequestOrigin.of(request).clientInfo());
    return Response.noContent().build();
  }

  static Role role(String name) {
    try {
      return Role.valueOf(name);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidInputException("role", "must be one of ADMIN, SENDER, AUDITOR, PARTNER");
    }
  }

  private static Instant expiresAt(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(
          "expiresAt", "must be an RFC 3339 time such as 2030-01-31T00:00:00Z");
    }
  }
}
