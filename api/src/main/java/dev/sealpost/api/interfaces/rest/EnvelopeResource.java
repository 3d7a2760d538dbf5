package dev.sealpost.api.interfaces.rest;

import static dev.sealpost.api.interfaces.rest.EnvelopeRequests.JSONB;

import dev.sealpost.api.application.EnvelopeQueries;
import dev.sealpost.api.application.EnvelopeQueries.Page;
import dev.sealpost.api.application.IdempotentSeal;
import dev.sealpost.api.application.IdempotentSeal.Answer;
import dev.sealpost.api.application.RevokeEnvelope;
import dev.sealpost.api.application.SealEnvelope.AttachmentInput;
import dev.sealpost.api.application.SealEnvelope.Draft;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.Digests;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.PayloadTooLargeException;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.CreateEnvelopeRequest;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.CreateEnvelopeResponse;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.EnvelopeListBody;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.EnvelopeMetadata;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.EnvelopeSummaryBody;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.RecipientStatusBody;
import dev.sealpost.api.interfaces.rest.EnvelopeMultipart.Part;
import dev.sealpost.api.interfaces.web.RequestOrigin;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * {@code /v1/envelopes} (SENDER): create (JSON or multipart, with {@code Idempotency-Key}), status,
 * list, revoke. The multipart form is read as a stream ({@link EnvelopeMultipart}) and sealed on
 * the fly, so memory does not grow with file size and no plaintext touches the disk. Requests are
 * read and translated by {@link EnvelopeRequests} and {@link EnvelopeAttachments}; the key's claim,
 * replay and stored answer are {@link IdempotentSeal}'s.
 */
@Path("envelopes")
@Dependent
@Produces(MediaType.APPLICATION_JSON)
public class EnvelopeResource {
  static final String SEALED_COUNTER = "sealpost.envelopes.sealed";
  static final String SEAL_TIMER = "sealpost.envelopes.seal.latency";
  private static final String PENDING_HASH = "pending";
  private static final long DRAIN_AFTER_LIMIT = 64L * 1024 * 1024;

  @Inject IdempotentSeal idempotentSeal;
  @Inject EnvelopeQueries queries;
  @Inject RevokeEnvelope revokeEnvelope;
  @Inject MetricRegistry metrics;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Allowed(Role.SENDER)
  public Response createJson(InputStream body, @HeaderParam("Idempotency-Key") String keyHeader) {
    Caller caller = Callers.of(security);
    Optional<String> key = EnvelopeRequests.idempotencyKey(keyHeader);
    byte[] bytes = EnvelopeRequests.readLimited(body, "the JSON body");
    String hash = Digests.sha256Hex(bytes);
    if (key.isPresent()) {
      Optional<Answer> replay = idempotentSeal.claimOrReplay(caller, key.get(), hash, () -> hash);
      if (replay.isPresent()) {
        return response(replay.get());
      }
    }
    return idempotentSeal.releasingOnFailure(
        caller,
        key,
        () -> {
          CreateEnvelopeRequest req = EnvelopeRequests.parse(bytes);
          Draft draft = EnvelopeRequests.draft(req);
          Iterator<AttachmentInput> attachments =
              EnvelopeAttachments.fromJson(req.attachments(), 0);
          return seal(caller, draft, attachments, key, () -> hash);
        });
  }

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Allowed(Role.SENDER)
  public Response createMultipart(
      InputStream body,
      @HeaderParam("Content-Type") String contentType,
      @HeaderParam("Idempotency-Key") String keyHeader) {
    Caller caller = Callers.of(security);
    Optional<String> key = EnvelopeRequests.idempotencyKey(keyHeader);
    EnvelopeMultipart multipart =
        new EnvelopeMultipart(body, EnvelopeMultipart.boundary(contentType));
    MultipartDigest digest = new MultipartDigest();
    if (key.isPresent()) {
      Optional<Answer> replay =
          idempotentSeal.claimOrReplay(
              caller, key.get(), PENDING_HASH, () -> digest.readAll(multipart));
      if (replay.isPresent()) {
        return response(replay.get());
      }
    }
    return idempotentSeal.releasingOnFailure(
        caller, key, () -> sealMultipart(caller, body, multipart, digest, key));
  }

  private Response sealMultipart(
      Caller caller,
      InputStream body,
      EnvelopeMultipart multipart,
      MultipartDigest digest,
      Optional<String> key) {
    Part first = EnvelopeAttachments.nextPart(multipart).orElse(null);
    if (first == null || !first.name().equals("envelope")) {
      throw ProblemException.badField(
          "envelope", "the first part must be the envelope JSON, named envelope");
    }
    byte[] json = EnvelopeRequests.readLimited(digest.digesting(first), "the envelope part");
    CreateEnvelopeRequest req = EnvelopeRequests.parse(json);
    Draft draft = EnvelopeRequests.draft(req);
    int offset = req.attachments() == null ? 0 : req.attachments().size();
    Iterator<AttachmentInput> all =
        EnvelopeAttachments.concat(
            EnvelopeAttachments.fromJson(req.attachments(), 0),
            EnvelopeAttachments.fileParts(multipart, digest, offset));
    try {
      return seal(caller, draft, all, key, digest::hex);
    } catch (PayloadTooLargeException e) {
      EnvelopeRequests.drain(body, DRAIN_AFTER_LIMIT);
      throw e;
    }
  }

  @GET
  @Path("{id}")
  @Allowed(Role.SENDER)
  public EnvelopeMetadata<RecipientStatusBody> status(@PathParam("id") String id) {
    return EnvelopeMetadata.status(queries.status(Callers.of(security), envelopeId(id)));
  }

  @GET
  @Allowed(Role.SENDER)
  public EnvelopeListBody list(
      @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
    Optional<Integer> n = Optional.empty();
    if (limit != null) {
      try {
        n = Optional.of(Integer.parseInt(limit));
      } catch (NumberFormatException e) {
        throw new InvalidInputException("limit", "must be a number between 1 and 100");
      }
    }
    Page page = queries.list(Callers.of(security), Optional.ofNullable(cursor), n);
    return new EnvelopeListBody(
        page.items().stream().map(EnvelopeSummaryBody::of).toList(),
        page.nextCursor().orElse(null));
  }

  /**
   * Revokes and crypto-shreds; answers the (revoked) status. Idempotent: a second DELETE answers
   * the same state (200), retrying any object deletion that failed.
   */
  @DELETE
  @Path("{id}")
  @Allowed(Role.SENDER)
  public EnvelopeMetadata<RecipientStatusBody> revoke(@PathParam("id") String id) {
    return EnvelopeMetadata.status(
        revokeEnvelope.revoke(
            Callers.of(security), envelopeId(id), RequestOrigin.of(request).clientInfo()));
  }

  private Response seal(
      Caller caller,
      Draft draft,
      Iterator<AttachmentInput> attachments,
      Optional<String> key,
      Supplier<String> requestHash) {
    long t0 = System.nanoTime();
    Answer answer =
        idempotentSeal.seal(
            caller,
            draft,
            attachments,
            RequestOrigin.of(request).clientInfo(),
            key,
            requestHash,
            c -> JSONB.toJson(CreateEnvelopeResponse.of(c)));
    metrics.counter(SEALED_COUNTER).inc();
    metrics.timer(SEAL_TIMER).update(Duration.ofNanos(System.nanoTime() - t0));
    return response(answer);
  }

  /** 201 with the new envelope's answer, or a stored answer replayed for its key. */
  private static Response response(Answer answer) {
    if (!answer.replayed()) {
      return Response.created(URI.create("envelopes/" + answer.envelopeId().value()))
          .type(MediaType.APPLICATION_JSON)
          .entity(answer.json())
          .build();
    }
    return Response.status(answer.status())
        .type(MediaType.APPLICATION_JSON)
        .header("Location", "envelopes/" + answer.envelopeId().value())
        .header("Idempotent-Replayed", "true")
        .entity(answer.json())
        .build();
  }

  private static EnvelopeId envelopeId(String id) {
    if (id == null || !id.matches("[0-9a-f-]{36}")) {
      throw new NotFoundException("envelope");
    }
    return new EnvelopeId(id);
  }
}
