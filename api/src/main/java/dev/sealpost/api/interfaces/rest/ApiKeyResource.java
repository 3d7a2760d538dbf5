package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.TenantAdministration;
import dev.sealpost.api.application.TenantAdministration.CreatedApiKey;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.interfaces.web.RequestOrigin;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Optional;

/** {@code POST /v1/api-keys} (ADMIN): a key for the caller's tenant, shown once. */
@Path("api-keys")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {
  @Inject TenantAdministration administration;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  /** {@code rateLimitPerMinute} is optional: the server default applies without it. */
  public record CreateApiKeyRequest(String role, String name, Integer rateLimitPerMinute) {}

  public record CreateApiKeyResponse(String id, String key) {}

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
            Optional.empty(),
            RequestOrigin.of(request).clientInfo());
    return Response.status(201)
        .entity(new CreateApiKeyResponse(created.id(), created.key().reveal()))
        .build();
  }

  static Role role(String name) {
    try {
      return Role.valueOf(name);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidInputException("role", "must be one of ADMIN, SENDER, AUDITOR, PARTNER");
    }
  }
}
