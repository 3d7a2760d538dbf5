package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.InboxEnvelopeGoneException;
import dev.sealpost.api.application.InboxQueries;
import dev.sealpost.api.application.InboxQueries.Download;
import dev.sealpost.api.application.InboxQueries.Page;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.PartnerInbox.Item;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.interfaces.web.RequestOrigin;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The partner's inbox (PARTNER keys): {@code GET /v1/inbox} (newest first, {@code cursor}), {@code
 * GET /v1/inbox/{envelopeId}/manifest} (the partner's own entry as a flattened JWE, {@code
 * application/jose+json}) and {@code GET /v1/inbox/{envelopeId}/attachments/{attachmentId}} (the
 * ciphertext, with Content-Length). Not addressed to the partner: 404; revoked or expired: 410
 * {@code envelope-gone}.
 */
@Path("inbox")
@Dependent
@Allowed(Role.PARTNER)
public class InboxResource {
  static final String JOSE_JSON = "application/jose+json";

  @Inject InboxQueries inbox;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  public record AttachmentView(String id, long size) {}

  public record ItemView(
      String envelopeId,
      String recipientId,
      String kid,
      String createdAt,
      String expiresAt,
      List<AttachmentView> attachments) {
    static ItemView of(Item i) {
      return new ItemView(
          i.envelopeId().value(),
          i.recipientId().value(),
          i.kid(),
          i.createdAt().toString(),
          i.expiresAt().map(Object::toString).orElse(null),
          i.attachments().stream().map(a -> new AttachmentView(a.id(), a.size())).toList());
    }
  }

  public record PageView(List<ItemView> items, String nextCursor) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public PageView list(
      @QueryParam("cursor") String cursor, @QueryParam("limit") @DefaultValue("50") int limit) {
    Page page = inbox.list(Callers.of(security), Optional.ofNullable(cursor), limit);
    return new PageView(
        page.items().stream().map(ItemView::of).toList(), page.nextCursor().orElse(null));
  }

  @GET
  @Path("{envelopeId}/manifest")
  @Produces({JOSE_JSON, MediaType.APPLICATION_JSON})
  public Response manifest(@PathParam("envelopeId") String envelopeId) {
    String jwe =
        gone(
            () ->
                inbox.manifest(
                    Callers.of(security),
                    new EnvelopeId(envelopeId),
                    RequestOrigin.of(request).clientInfo()));
    return Response.ok(jwe, JOSE_JSON).build();
  }

  @GET
  @Path("{envelopeId}/attachments/{attachmentId}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  public Response attachment(
      @PathParam("envelopeId") String envelopeId, @PathParam("attachmentId") String attachmentId) {
    Download d =
        gone(
            () ->
                inbox.attachment(
                    Callers.of(security),
                    new EnvelopeId(envelopeId),
                    attachmentId,
                    RequestOrigin.of(request).clientInfo()));
    StreamingOutput body =
        out -> {
          try (InputStream in = d.content()) {
            in.transferTo(out);
          }
        };
    return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM)
        .header("Content-Length", d.size())
        .build();
  }

  private static <T> T gone(Supplier<T> work) {
    try {
      return work.get();
    } catch (InboxEnvelopeGoneException e) {
      throw new ProblemException(410, "envelope-gone", "Envelope gone", e.getMessage());
    }
  }
}
