package dev.sealpost.api.interfaces.rest;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.api.application.PartnerRegistry;
import dev.sealpost.api.application.TenantAdministration.CreatedApiKey;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.PrivateKeyPostedException;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.interfaces.web.RequestOrigin;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/partners} (ADMIN): register a partner with {@code {name, jwks}} (a JWK set
 * object) or {@code {name, jwksUri}}; answers {@code {"id"}}. {@code POST
 * /v1/partners/{id}/api-keys} (ADMIN): a PARTNER key for it, answers {@code {"id","key"}}.
 */
@Path("partners")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class PartnerResource {
  @Inject PartnerRegistry registry;
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
    Optional<String> jwks = Optional.empty();
    Object keys = json.get("jwks");
    if (keys instanceof Map<?, ?>) {
      @SuppressWarnings("unchecked")
      Map<String, Object> set = (Map<String, Object>) keys;
      jwks = Optional.of(JSONObjectUtils.toJSONString(set));
    } else if (keys != null) {
      throw new InvalidInputException("jwks", "must be a JWK set object {\"keys\":[...]}");
    }
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
