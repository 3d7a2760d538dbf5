package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.SigningKeyRotation;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.RotatedSigningKey;
import dev.sealpost.api.interfaces.web.RequestOrigin;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code POST /v1/tenant/signing-keys/rotate} (ADMIN, no body; a body is a 400): 200 {@code {kid,
 * previousKid}}; the new kid signs from now on and both stay in {@code /.well-known/jwks.json}. 503
 * when the key service cannot make the key (e.g. KMS refuses CreateKey).
 */
@Path("tenant/signing-keys")
@Dependent
@Produces(MediaType.APPLICATION_JSON)
public class SigningKeyResource {
  @Inject SigningKeyRotation rotation;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  /** {@code previousKid} is null when the tenant had no key before. */
  public record RotatedView(String kid, String previousKid) {}

  @POST
  @Path("rotate")
  @Allowed(Role.ADMIN)
  public RotatedView rotate(String body) {
    if (body != null && !body.isEmpty()) {
      // Nothing a caller sends chooses the key (no JWK, no JWS): a body is a mistake or an attack.
      throw ProblemException.badRequest(
          "this endpoint takes no body: the server makes the new key");
    }
    RotatedSigningKey r =
        rotation.rotate(Callers.of(security), RequestOrigin.of(request).clientInfo());
    return new RotatedView(r.kid(), r.previousKid().orElse(null));
  }
}
