package dev.sealpost.api.interfaces.rest;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.api.application.ReplyKeys;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.interfaces.web.RequestOrigin;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.text.ParseException;

/**
 * {@code GET|PUT /v1/tenant/reply-keys} (ADMIN): the public JWKS consumers encrypt replies to
 * ({@link ReplyKeys}); {@code {"keys":[]}} removes them. Answers the stored set.
 */
@Path("tenant/reply-keys")
@Dependent
@Produces(MediaType.APPLICATION_JSON)
public class ReplyKeysResource {
  @Inject ReplyKeys replyKeys;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  @GET
  @Allowed(Role.ADMIN)
  public Response get() {
    return json(replyKeys.get(Callers.of(security)));
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @Allowed(Role.ADMIN)
  public Response put(String body) {
    if (body == null || body.isBlank()) {
      throw ProblemException.badRequest("a JWK set {\"keys\":[...]} is required");
    }
    try {
      JSONObjectUtils.parse(body);
    } catch (ParseException e) {
      throw ProblemException.badRequest("the body is not a JWK set {\"keys\":[...]}");
    }
    return json(replyKeys.put(Callers.of(security), body, RequestOrigin.of(request).clientInfo()));
  }

  private static Response json(String jwks) {
    return Response.ok(jwks, MediaType.APPLICATION_JSON_TYPE).build();
  }
}
