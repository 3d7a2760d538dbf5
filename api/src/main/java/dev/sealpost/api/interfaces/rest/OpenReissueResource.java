package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.ReissueLink;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.interfaces.web.RequestOrigin;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code POST /v1/envelopes/{id}/recipients/{recipientId}/reissue} (the SENDER key that sealed the
 * envelope, or an ADMIN key; another key 403): a new link for a consumer recipient, the old one
 * dead; a lock lifted only for an ADMIN; mailed (default) or answered once with {@code {"notify":
 * false}}. Rules and limits: {@link ReissueLink}.
 */
@Path("envelopes/{envelopeId}/recipients/{recipientId}/reissue")
@Dependent
public class OpenReissueResource {
  @Inject ReissueLink reissue;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  /** A class, not a record: a record component may not be called notify (Object.notify()). */
  public static class ReissueRequest {
    public Boolean notify;
  }

  public record ReissueResponse(String recipientId, String link) {
    @Override
    public String toString() {
      return "ReissueResponse[" + recipientId + "]";
    }
  }

  @POST
  @Allowed({Role.SENDER, Role.ADMIN})
  @Produces(MediaType.APPLICATION_JSON)
  public ReissueResponse reissue(
      @PathParam("envelopeId") String envelopeId,
      @PathParam("recipientId") String recipientId,
      ReissueRequest body) {
    boolean notify = body == null || body.notify == null || body.notify;
    ReissueLink.Reissued r =
        reissue.reissue(
            Callers.of(security),
            new EnvelopeId(uuid(envelopeId)),
            new RecipientId(uuid(recipientId)),
            notify,
            RequestOrigin.of(request).clientInfo());
    return new ReissueResponse(r.recipientId().value(), r.link().orElse(null));
  }

  private static String uuid(String id) {
    if (id == null || !id.matches("[0-9a-f-]{36}")) {
      throw new NotFoundException("no such consumer recipient");
    }
    return id;
  }
}
