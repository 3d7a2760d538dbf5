package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.OpenLink;
import dev.sealpost.api.application.OpenLinkException;
import dev.sealpost.api.application.ReceiveReply;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.interfaces.web.RequestOrigin;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.io.StringReader;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * {@code /v1/open/...}: the consumer's side, called by the web viewer. No API key: the link token
 * (from the link's fragment) authorises challenge and verify, and the access token that verify
 * answers authorises the manifest and attachments. Refusals ({@link OpenLinkException}) pass
 * through to {@link ProblemMapper}: problem+json with the slugs the viewer knows ({@code
 * wrong-code}, {@code wrong-secret}, {@code locked}, {@code expired}, {@code revoked}, {@code
 * open-limit}, {@code rate-limited}) and {@code remainingAttempts} after a wrong answer.
 */
@Path("open")
@Dependent
public class OpenResource {
  static final String OPENS = "sealpost.envelopes.opened";
  static final String FAILED = "sealpost.verifications.failed";

  @Inject OpenLink openLink;
  @Inject ReceiveReply receiveReply;
  @Inject MetricRegistry metrics;
  @Context HttpServletRequest http;

  public record ChallengeRequest(String token) {}

  public record ChallengeResponse(String method, String hint) {}

  public record VerifyRequest(String token, String code, String secret) {}

  /** What a recipient needs to reply: the tenant's reply keys, replies left, the byte limit. */
  public record ReplyOfferBody(JsonObject keys, int remaining, long maxBytes) {
    static ReplyOfferBody of(ReceiveReply.Offer o) {
      try (JsonReader r = Json.createReader(new StringReader(o.keysJson()))) {
        return new ReplyOfferBody(r.readObject(), o.remaining(), o.maxBytes());
      }
    }
  }

  public record VerifyResponse(
      String accessToken, long expiresIn, String serverShare, ReplyOfferBody reply) {
    @Override
    public String toString() {
      return "VerifyResponse[redacted]";
    }
  }

  @POST
  @Path("{envelopeId}/{recipientId}/challenge")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response challenge(
      @PathParam("envelopeId") String envelopeId,
      @PathParam("recipientId") String recipientId,
      ChallengeRequest body) {
    OpenLink.Challenge c =
        openLink.challenge(
            new EnvelopeId(envelopeId),
            new RecipientId(recipientId),
            body == null ? null : body.token(),
            client());
    return Response.ok(new ChallengeResponse(c.method().name(), c.hint())).build();
  }

  @POST
  @Path("{envelopeId}/{recipientId}/verify")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response verify(
      @PathParam("envelopeId") String envelopeId,
      @PathParam("recipientId") String recipientId,
      VerifyRequest body) {
    OpenLink.Opened o;
    try {
      o =
          openLink.verify(
              new EnvelopeId(envelopeId),
              new RecipientId(recipientId),
              body == null ? null : body.token(),
              body == null ? null : body.code(),
              body == null ? null : body.secret(),
              client());
    } catch (OpenLinkException e) {
      if (isWrongAnswer(e)) {
        metrics.counter(FAILED).inc();
      }
      throw e;
    }
    metrics.counter(OPENS).inc();
    ReplyOfferBody reply =
        receiveReply
            .offer(new EnvelopeId(envelopeId), new RecipientId(recipientId))
            .map(ReplyOfferBody::of)
            .orElse(null);
    return Response.ok(new VerifyResponse(o.accessToken(), o.expiresIn(), o.serverShare(), reply))
        .build();
  }

  /** A refusal counted as a failed verification: a wrong code or secret, or locked. */
  private static boolean isWrongAnswer(OpenLinkException e) {
    return e.reason() == OpenLinkException.Reason.WRONG_CODE
        || e.reason() == OpenLinkException.Reason.WRONG_SECRET
        || (e.reason() == OpenLinkException.Reason.LOCKED && e.remainingAttempts() != null);
  }

  @GET
  @Path("{envelopeId}/manifest")
  @Produces(MediaType.APPLICATION_JSON)
  public Response manifest(
      @PathParam("envelopeId") String envelopeId,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    return Response.ok(openLink.manifest(new EnvelopeId(envelopeId), bearer(authorization)))
        .type(MediaType.APPLICATION_JSON_TYPE)
        .build();
  }

  @GET
  @Path("{envelopeId}/attachments/{attachmentId}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  public Response attachment(
      @PathParam("envelopeId") String envelopeId,
      @PathParam("attachmentId") String attachmentId,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    OpenLink.AttachmentStream a =
        openLink.attachment(
            new EnvelopeId(envelopeId), attachmentId, bearer(authorization), client());
    StreamingOutput out =
        o -> {
          try (InputStream in = a.stream()) {
            in.transferTo(o);
          }
        };
    return Response.ok(out, MediaType.APPLICATION_OCTET_STREAM_TYPE)
        .header(HttpHeaders.CONTENT_LENGTH, a.length())
        .build();
  }

  private static String bearer(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }

  private ClientInfo client() {
    return RequestOrigin.of(http).clientInfo();
  }
}
