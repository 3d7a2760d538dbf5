package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.ReplyQueries;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.ReplyRecord;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.interfaces.web.RequestOrigin;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.util.List;

/**
 * {@code GET /v1/envelopes/{id}/replies[/{replyId}/manifest|/attachments/{attachmentId}]} (SENDER):
 * the replies to an envelope, as ciphertext exactly as received, each with the receipt the server
 * signed when it took it in. Another tenant's ids are not found.
 */
@Path("envelopes/{id}/replies")
@Dependent
public class EnvelopeReplyResource {
  static final String JOSE_JSON = "application/jose+json";

  @Inject ReplyQueries queries;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  public record ReplyAttachmentBody(String id, long size) {}

  public record ReplyBody(
      String replyId,
      String recipientId,
      String received,
      long manifestSize,
      List<ReplyAttachmentBody> attachments,
      String receipt) {
    static ReplyBody of(ReplyRecord r) {
      return new ReplyBody(
          r.id(),
          r.recipientId().value(),
          r.received().toString(),
          r.manifestSize(),
          r.attachments().stream().map(a -> new ReplyAttachmentBody(a.id(), a.size())).toList(),
          r.receipt());
    }
  }

  public record ReplyListBody(List<ReplyBody> replies) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Allowed(Role.SENDER)
  public ReplyListBody list(@PathParam("id") String id) {
    return new ReplyListBody(
        queries.list(Callers.of(security), envelopeId(id)).stream().map(ReplyBody::of).toList());
  }

  @GET
  @Path("{replyId}/manifest")
  @Produces(JOSE_JSON)
  @Allowed(Role.SENDER)
  public Response manifest(@PathParam("id") String id, @PathParam("replyId") String replyId) {
    ReplyQueries.Blob b =
        queries.manifest(
            Callers.of(security),
            envelopeId(id),
            uuid(replyId, "reply"),
            RequestOrigin.of(request).clientInfo());
    return stream(b, JOSE_JSON);
  }

  @GET
  @Path("{replyId}/attachments/{attachmentId}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  @Allowed(Role.SENDER)
  public Response attachment(
      @PathParam("id") String id,
      @PathParam("replyId") String replyId,
      @PathParam("attachmentId") String attachmentId) {
    ReplyQueries.Blob b =
        queries.attachment(
            Callers.of(security),
            envelopeId(id),
            uuid(replyId, "reply"),
            uuid(attachmentId, "attachment"));
    return stream(b, MediaType.APPLICATION_OCTET_STREAM);
  }

  private static Response stream(ReplyQueries.Blob b, String type) {
    StreamingOutput out =
        o -> {
          try (InputStream in = b.stream()) {
            in.transferTo(o);
          }
        };
    return Response.ok(out, type).header(HttpHeaders.CONTENT_LENGTH, b.length()).build();
  }

  private static EnvelopeId envelopeId(String id) {
    return new EnvelopeId(uuid(id, "envelope"));
  }

  private static String uuid(String id, String what) {
    if (id == null || !ReplyUploadParts.UUID.matcher(id).matches()) {
      throw new NotFoundException(what);
    }
    return id;
  }
}
