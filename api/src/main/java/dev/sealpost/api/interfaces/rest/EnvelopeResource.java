package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.EnvelopeQueries;
import dev.sealpost.api.application.EnvelopeQueries.Page;
import dev.sealpost.api.application.RevokeEnvelope;
import dev.sealpost.api.application.SealEnvelope;
import dev.sealpost.api.application.SealEnvelope.AttachmentInput;
import dev.sealpost.api.application.SealEnvelope.Created;
import dev.sealpost.api.application.SealEnvelope.Draft;
import dev.sealpost.api.application.SealEnvelope.RecipientDraft;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ConflictException;
import dev.sealpost.api.domain.IdempotencyStore;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.PayloadTooLargeException;
import dev.sealpost.api.domain.RecipientType;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.SecretSealer;
import dev.sealpost.api.domain.VerificationMethod;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.AttachmentBody;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.CreateEnvelopeRequest;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.CreateEnvelopeResponse;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.EnvelopeListBody;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.EnvelopeStatusBody;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.EnvelopeSummaryBody;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.RecipientBody;
import dev.sealpost.api.interfaces.rest.EnvelopeMultipart.Part;
import dev.sealpost.api.interfaces.web.RequestOrigin;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * {@code /v1/envelopes} (SENDER): create (JSON or multipart, with {@code Idempotency-Key}), status,
 * list, revoke. The multipart form is read as a stream ({@link EnvelopeMultipart}) and sealed on
 * the fly, so memory does not grow with file size and no plaintext touches the disk.
 */
@Path("envelopes")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class EnvelopeResource {
  /** The JSON form carries base64 attachments for small files; larger ones go multipart. */
  static final int MAX_JSON_BYTES = 16 * 1024 * 1024;

  static final String SEALED_COUNTER = "sealpost.envelopes.sealed";
  static final String SEAL_TIMER = "sealpost.envelopes.seal.latency";
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
  private static final String PENDING_HASH = "pending";
  private static final long DRAIN_AFTER_LIMIT = 64L * 1024 * 1024;
  private static final Jsonb JSONB = JsonbBuilder.create();

  @Inject SealEnvelope sealEnvelope;
  @Inject EnvelopeQueries queries;
  @Inject RevokeEnvelope revokeEnvelope;
  @Inject IdempotencyStore idempotency;
  @Inject SecretSealer secrets;
  @Inject Clock clock;
  @Inject MetricRegistry metrics;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Allowed(Role.SENDER)
  public Response createJson(InputStream body, @HeaderParam("Idempotency-Key") String keyHeader) {
    Caller caller = Callers.of(security);
    Optional<String> key = idempotencyKey(keyHeader);
    byte[] bytes = readLimited(body, "the JSON body");
    String hash = hex(sha256().digest(bytes));
    if (key.isPresent()) {
      Optional<Response> replay = claimOrReplay(caller, key.get(), hash, () -> hash);
      if (replay.isPresent()) {
        return replay.get();
      }
    }
    return released(
        caller,
        key,
        () -> {
          CreateEnvelopeRequest req = parse(bytes);
          Draft draft = draft(req);
          return seal(caller, draft, jsonAttachments(req.attachments(), 0), key, () -> hash);
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
    Optional<String> key = idempotencyKey(keyHeader);
    EnvelopeMultipart multipart =
        new EnvelopeMultipart(body, EnvelopeMultipart.boundary(contentType));
    MessageDigest digest = sha256();
    if (key.isPresent()) {
      Optional<Response> replay =
          claimOrReplay(caller, key.get(), PENDING_HASH, () -> digestAll(multipart, digest));
      if (replay.isPresent()) {
        return replay.get();
      }
    }
    return released(
        caller,
        key,
        () -> {
          Part first = nextPart(multipart).orElse(null);
          if (first == null || !first.name().equals("envelope")) {
            throw ProblemException.badField(
                "envelope", "the first part must be the envelope JSON, named envelope");
          }
          byte[] json = readLimited(digesting(first, digest), "the envelope part");
          CreateEnvelopeRequest req = parse(json);
          Draft draft = draft(req);
          int offset = req.attachments() == null ? 0 : req.attachments().size();
          Iterator<AttachmentInput> fromJson = jsonAttachments(req.attachments(), 0);
          Iterator<AttachmentInput> files = fileParts(multipart, digest, offset);
          Iterator<AttachmentInput> all = concat(fromJson, files);
          try {
            return seal(caller, draft, all, key, () -> hex(digest.digest()));
          } catch (PayloadTooLargeException e) {
            drain(body, DRAIN_AFTER_LIMIT);
            throw e;
          }
        });
  }

  @GET
  @Path("{id}")
  @Allowed(Role.SENDER)
  public EnvelopeStatusBody status(@PathParam("id") String id) {
    return EnvelopeStatusBody.of(queries.status(Callers.of(security), envelopeId(id)));
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
  public EnvelopeStatusBody revoke(@PathParam("id") String id) {
    return EnvelopeStatusBody.of(
        revokeEnvelope.revoke(
            Callers.of(security), envelopeId(id), RequestOrigin.of(request).clientInfo()));
  }

  // ---- sealing and idempotency ----

  private Response seal(
      Caller caller,
      Draft draft,
      Iterator<AttachmentInput> attachments,
      Optional<String> key,
      Supplier<String> requestHash) {
    long t0 = System.nanoTime();
    String[] json = new String[1];
    Created created =
        sealEnvelope.seal(
            caller,
            draft,
            attachments,
            RequestOrigin.of(request).clientInfo(),
            c -> {
              json[0] = JSONB.toJson(CreateEnvelopeResponse.of(c));
              key.ifPresent(
                  k ->
                      idempotency.complete(
                          caller.apiKeyId(),
                          k,
                          requestHash.get(),
                          201,
                          secrets.seal(
                              answerContext(caller, c.envelopeId()),
                              json[0].getBytes(StandardCharsets.UTF_8)),
                          c.envelopeId(),
                          clock.instant()));
            });
    metrics.counter(SEALED_COUNTER).inc();
    metrics.timer(SEAL_TIMER).update(Duration.ofNanos(System.nanoTime() - t0));
    return Response.created(URI.create("envelopes/" + created.envelopeId()))
        .type(MediaType.APPLICATION_JSON)
        .entity(json[0])
        .build();
  }

  /** A stored answer holds the consumer links: it is kept sealed, bound to the envelope. */
  private static KeyContext answerContext(Caller caller, String envelopeId) {
    return new KeyContext(caller.tenantId(), envelopeId, "idempotent-answer");
  }

  /**
   * Claims the key (first request wins, atomically in the database) or answers for the earlier
   * request: 409 while it runs, its stored answer when the body is the same, 422 when not.
   */
  private Optional<Response> claimOrReplay(
      Caller caller, String key, String claimHash, Supplier<String> thisRequestHash) {
    for (int attempt = 0; attempt < 2; attempt++) {
      if (idempotency.claim(caller.apiKeyId(), key, claimHash, clock.instant())) {
        return Optional.empty();
      }
      Optional<IdempotencyStore.Entry> entry = idempotency.find(caller.apiKeyId(), key);
      if (entry.isEmpty()) {
        continue; // released between our insert and our read: try again
      }
      IdempotencyStore.Entry e = entry.get();
      if (!e.done()) {
        throw new ConflictException("a request with this Idempotency-Key is still in progress");
      }
      if (!e.requestHash().equals(thisRequestHash.get())) {
        throw new InvalidInputException(
            "Idempotency-Key", "was used before with a different request body");
      }
      if (e.response() == null) {
        throw new ConflictException(
            "the envelope created with this Idempotency-Key has been revoked");
      }
      byte[] answer = secrets.open(answerContext(caller, e.envelopeId()), e.response());
      return Optional.of(
          Response.status(e.status())
              .type(MediaType.APPLICATION_JSON)
              .header("Location", "envelopes/" + e.envelopeId())
              .header("Idempotent-Replayed", "true")
              .entity(new String(answer, StandardCharsets.UTF_8))
              .build());
    }
    throw new ConflictException("a request with this Idempotency-Key is still in progress");
  }

  /** Runs the create; if it fails, the idempotency claim is released so a retry runs again. */
  private Response released(Caller caller, Optional<String> key, Supplier<Response> work) {
    try {
      return work.get();
    } catch (RuntimeException | Error e) {
      key.ifPresent(k -> idempotency.release(caller.apiKeyId(), k));
      throw e;
    }
  }

  private static Optional<String> idempotencyKey(String header) {
    if (header == null) {
      return Optional.empty();
    }
    if (!IDEMPOTENCY_KEY.matcher(header).matches()) {
      throw ProblemException.badField(
          "Idempotency-Key", "must be 1 to 255 visible ASCII characters");
    }
    return Optional.of(header);
  }

  // ---- request parsing ----

  private static CreateEnvelopeRequest parse(byte[] json) {
    CreateEnvelopeRequest req;
    try {
      req = JSONB.fromJson(new ByteArrayInputStream(json), CreateEnvelopeRequest.class);
    } catch (JsonbException e) {
      throw new ProblemException(
          400,
          "malformed-json",
          "Malformed JSON",
          "the request body is not valid JSON for this endpoint");
    }
    if (req == null) {
      throw ProblemException.badRequest("a JSON object is required");
    }
    return req;
  }

  static Draft draft(CreateEnvelopeRequest r) {
    noLineBreaks("subject", r.subject());
    if (r.recipients() == null) {
      throw new InvalidInputException("recipients", "is required");
    }
    List<RecipientDraft> recipients = new ArrayList<>();
    for (int i = 0; i < r.recipients().size(); i++) {
      String field = "recipients[" + i + "]";
      RecipientBody b = r.recipients().get(i);
      if (b == null) {
        throw ProblemException.badField(field, "must be an object");
      }
      RecipientType type = recipientType(field, b.type());
      if (type == RecipientType.PARTNER) {
        if (b.email() != null || b.verification() != null) {
          throw new InvalidInputException(field, "a partner recipient has only partnerId");
        }
        recipients.add(
            new RecipientDraft(field, type, null, null, b.partnerId(), null, null, null));
        continue;
      }
      noLineBreaks(field + ".email", b.email());
      if (b.partnerId() != null) {
        throw new InvalidInputException(field + ".partnerId", "belongs to partner recipients");
      }
      VerificationMethod method = VerificationMethod.EMAIL_OTP;
      String secret = null;
      String hint = null;
      if (b.verification() != null) {
        method = method(field + ".verification.method", b.verification().method());
        secret = b.verification().secret();
        hint = b.verification().hint();
        noLineBreaks(field + ".verification.hint", hint);
      }
      recipients.add(
          new RecipientDraft(field, type, b.email(), b.locale(), null, method, secret, hint));
    }
    Optional<Duration> expiresIn = Optional.empty();
    Optional<Integer> maxOpens = Optional.empty();
    if (r.policy() != null) {
      if (r.policy().expiresIn() != null) {
        try {
          expiresIn = Optional.of(Duration.parse(r.policy().expiresIn()));
        } catch (DateTimeParseException e) {
          throw new InvalidInputException(
              "policy.expiresIn", "must be an ISO-8601 duration such as P7D or PT12H");
        }
      }
      maxOpens = Optional.ofNullable(r.policy().maxOpens());
    }
    return new Draft(
        r.subject(),
        r.message(),
        recipients,
        expiresIn,
        maxOpens,
        r.notifyRecipients() == null || r.notifyRecipients());
  }

  private static RecipientType recipientType(String field, String type) {
    if ("consumer".equals(type)) {
      return RecipientType.CONSUMER;
    }
    if ("partner".equals(type)) {
      return RecipientType.PARTNER;
    }
    throw new InvalidInputException(field + ".type", "must be consumer or partner");
  }

  private static VerificationMethod method(String field, String name) {
    try {
      return VerificationMethod.valueOf(name);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidInputException(field, "must be EMAIL_OTP, SHARED_SECRET or NONE");
    }
  }

  /** CR or LF in text that becomes a mail header would let it add headers: refused as 400. */
  private static void noLineBreaks(String field, String value) {
    if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0)) {
      throw ProblemException.badField(field, "must not contain line breaks");
    }
  }

  private static String envelopeId(String id) {
    if (id == null || !id.matches("[0-9a-f-]{36}")) {
      throw new NotFoundException("envelope");
    }
    return id;
  }

  private static Iterator<AttachmentInput> jsonAttachments(List<AttachmentBody> list, int offset) {
    List<AttachmentBody> items = list == null ? List.of() : list;
    return new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return i < items.size();
      }

      @Override
      public AttachmentInput next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int index = i++;
        String field = "attachments[" + (offset + index) + "]";
        AttachmentBody a = items.get(index);
        if (a == null) {
          throw ProblemException.badField(field, "must be an object");
        }
        if (a.data() == null) {
          throw new InvalidInputException(field + ".data", "is required (base64)");
        }
        byte[] data;
        try {
          data = Base64.getMimeDecoder().decode(a.data());
        } catch (IllegalArgumentException e) {
          throw ProblemException.badField(field + ".data", "must be base64");
        }
        return input(field, a.name(), a.contentType(), new ByteArrayInputStream(data));
      }
    };
  }

  private static Iterator<AttachmentInput> fileParts(
      EnvelopeMultipart multipart, MessageDigest digest, int offset) {
    return new Iterator<>() {
      Part pending;
      boolean done;
      int index = offset;

      @Override
      public boolean hasNext() {
        if (pending == null && !done) {
          Optional<Part> p = nextPart(multipart);
          if (p.isEmpty()) {
            done = true;
          } else {
            pending = p.get();
          }
        }
        return pending != null;
      }

      @Override
      public AttachmentInput next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Part p = pending;
        pending = null;
        String field = "attachments[" + index++ + "]";
        if (p.filename().isEmpty()) {
          throw ProblemException.badField(
              p.name(), "after the envelope part, every part must be a file (with a filename)");
        }
        return input(field, p.filename().get(), p.contentType().orElse(null), digesting(p, digest));
      }
    };
  }

  private static AttachmentInput input(
      String field, String name, String contentType, InputStream content) {
    String type = contentType == null ? MediaType.APPLICATION_OCTET_STREAM : mediaType(contentType);
    return new AttachmentInput() {
      @Override
      public String field() {
        return field;
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public String mediaType() {
        return type;
      }

      @Override
      public InputStream content() {
        return content;
      }
    };
  }

  /** The media type without parameters (charset and the like stay out of the manifest). */
  private static String mediaType(String value) {
    int semi = value.indexOf(';');
    return (semi < 0 ? value : value.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  private static <T> Iterator<T> concat(Iterator<T> a, Iterator<T> b) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return a.hasNext() || b.hasNext();
      }

      @Override
      public T next() {
        return a.hasNext() ? a.next() : b.next();
      }
    };
  }

  private static Optional<Part> nextPart(EnvelopeMultipart multipart) {
    try {
      return multipart.next();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The digest of every part (name, filename, type, bytes, length): stable across boundaries. */
  private static String digestAll(EnvelopeMultipart multipart, MessageDigest digest) {
    try {
      for (Optional<Part> p = multipart.next(); p.isPresent(); p = multipart.next()) {
        digesting(p.get(), digest).transferTo(OutputStreamSink.INSTANCE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return hex(digest.digest());
  }

  private static InputStream digesting(Part part, MessageDigest digest) {
    String header =
        "part\0"
            + part.name()
            + "\0"
            + part.filename().orElse("")
            + "\0"
            + part.contentType().orElse("")
            + "\0";
    digest.update(header.getBytes(StandardCharsets.UTF_8));
    return new FilterInputStream(part.content()) {
      long length;
      boolean ended;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          digest.update(b, off, n);
          length += n;
        } else if (n < 0 && !ended) {
          ended = true;
          digest.update(ByteBuffer.allocate(8).putLong(length).array());
        }
        return n;
      }
    };
  }

  /**
   * Reads (and drops) up to {@code max} more bytes of a refused request, so a client that is still
   * sending receives the answer instead of a reset connection; beyond that the connection closes.
   */
  private static void drain(InputStream in, long max) {
    try {
      byte[] buf = new byte[65_536];
      long total = 0;
      int n;
      while (total < max && (n = in.read(buf)) >= 0) {
        total += n;
      }
    } catch (IOException | RuntimeException e) {
      // the client went away: nothing to answer
    }
  }

  private static byte[] readLimited(InputStream in, String what) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        if (out.size() > MAX_JSON_BYTES) {
          // Read the rest (JsonLimitsInterceptor stops it at 64 MiB), so the client, still
          // sending, gets this answer rather than a stalled connection.
          in.transferTo(OutputStreamSink.INSTANCE);
          throw new ProblemException(
              413,
              "payload-too-large",
              "Payload too large",
              what
                  + " may have at most "
                  + MAX_JSON_BYTES
                  + " bytes; send large files as multipart file parts");
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** Discards bytes. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
