package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.OpenLinkException;
import dev.sealpost.api.application.ReceiveReply;
import dev.sealpost.api.application.ReceiveReply.Permit;
import dev.sealpost.api.application.ReceiveReply.Received;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.interfaces.rest.ReplyUploadParts.Declaration;
import dev.sealpost.api.interfaces.web.RequestOrigin;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;

/**
 * {@code POST /v1/open/{envelopeId}/{recipientId}/replies}: a consumer's secure reply, authorised
 * by the access token of its own open (REPLY-WIRE.md). Who may reply is decided before the body is
 * read; the multipart body then streams part by part ({@link ReplyUploadParts}) into {@link
 * ReceiveReply}, which stores ciphertext only and answers the signed receipt. A refused request's
 * body is drained (up to 64 MiB) so a client still sending reads the answer.
 */
@Path("open/{envelopeId}/{recipientId}/replies")
@Dependent
public class OpenReplyResource {
  private static final long DRAIN_AFTER_REFUSAL = 64L * 1024 * 1024;

  @Inject ReceiveReply receiveReply;
  @Context HttpServletRequest http;

  /** The 201 body. */
  public record ReplyReceivedBody(String replyId, String received, String receipt) {}

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Produces(MediaType.APPLICATION_JSON)
  public Response reply(
      @PathParam("envelopeId") String envelopeId,
      @PathParam("recipientId") String recipientId,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      InputStream body) {
    try {
      if (!ReplyUploadParts.UUID.matcher(envelopeId).matches()
          || !ReplyUploadParts.UUID.matcher(recipientId).matches()) {
        throw new OpenLinkException(OpenLinkException.Reason.NOT_FOUND, "no such message");
      }
      Permit permit =
          receiveReply.permit(
              new EnvelopeId(envelopeId), new RecipientId(recipientId), bearer(authorization));
      ReplyUploadParts parts =
          new ReplyUploadParts(
              new EnvelopeMultipart(body, EnvelopeMultipart.boundary(contentType)));
      Declaration d = parts.declaration();
      Received r =
          receiveReply.receive(
              permit, d.replyId(), d.attachments(), parts, RequestOrigin.of(http).clientInfo());
      return Response.created(URI.create("envelopes/" + envelopeId + "/replies/" + r.replyId()))
          .type(MediaType.APPLICATION_JSON_TYPE)
          .entity(new ReplyReceivedBody(r.replyId(), r.received().toString(), r.receipt()))
          .build();
    } catch (RuntimeException e) {
      EnvelopeRequests.drain(body, DRAIN_AFTER_REFUSAL);
      throw e;
    }
  }

  private static String bearer(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }
}
