package dev.sealpost.api.application;

import dev.sealpost.api.application.SealEnvelope.AttachmentInput;
import dev.sealpost.api.application.SealEnvelope.Created;
import dev.sealpost.api.application.SealEnvelope.Draft;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.ConflictException;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.IdempotencyStore;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.SecretSealer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link SealEnvelope} under an optional {@code Idempotency-Key} (scoped per API key): the first
 * request claims the key (atomically in the database); a repeat gets 409 while the first runs, the
 * stored answer when its body is the same, 422 when not. The stored answer holds the consumer
 * links, so it is kept only sealed by the {@link SecretSealer}, bound to the envelope (revoking it
 * destroys the answer too); it is written in the transaction that records the envelope.
 *
 * <p>A key lives for {@link IdempotencyTtl} (default 24 hours) from its first request, like
 * Stripe's: within that window it is answered as above; after it the record is forgotten (and the
 * {@link IdempotencySweep} deletes it), so the same key runs as a new request.
 *
 * <p>The answer's JSON is rendered by the caller (the REST edge owns the wire format).
 */
@ApplicationScoped
public class IdempotentSeal {
  private static final int CREATED = 201;

  private final SealEnvelope sealEnvelope;
  private final IdempotencyStore idempotency;
  private final SecretSealer secrets;
  private final Clock clock;
  private final Duration ttl;

  @Inject
  public IdempotentSeal(
      SealEnvelope sealEnvelope,
      IdempotencyStore idempotency,
      SecretSealer secrets,
      Clock clock,
      IdempotencyTtl ttl) {
    this.sealEnvelope = sealEnvelope;
    this.idempotency = idempotency;
    this.secrets = secrets;
    this.clock = clock;
    this.ttl = ttl == null ? null : ttl.value();
  }

  /** An answer to a create: fresh ({@code replayed=false}, 201) or stored. */
  public record Answer(int status, EnvelopeId envelopeId, String json, boolean replayed) {
    @Override
    public String toString() {
      return "Answer[" + status + ", " + envelopeId + ", replayed=" + replayed + "]";
    }
  }

  /**
   * Claims {@code key} for this request (empty: go ahead and seal) or answers for the earlier
   * request with that key. {@code claimHash} is stored with the claim; {@code thisRequestHash} is
   * compared with a finished request's hash (it may read the rest of the request). A record older
   * than the window is forgotten and the key claimed anew.
   *
   * @throws ConflictException while the earlier request runs, or when its envelope was revoked
   * @throws InvalidInputException when the earlier request had a different body
   */
  public Optional<Answer> claimOrReplay(
      Caller caller, String key, String claimHash, Supplier<String> thisRequestHash) {
    for (int attempt = 0; attempt < 3; attempt++) {
      Instant now = clock.instant();
      if (idempotency.claim(caller.apiKeyId(), key, claimHash, now)) {
        return Optional.empty();
      }
      Optional<IdempotencyStore.Entry> entry = idempotency.find(caller.apiKeyId(), key);
      if (entry.isEmpty()) {
        continue; // released between our insert and our read: try again
      }
      Instant cutoff = now.minus(ttl);
      if (!entry.get().createdAt().isAfter(cutoff)) {
        // The window is over: the old answer is never replayed; the key starts a new request.
        idempotency.forgetExpired(caller.apiKeyId(), key, cutoff);
        continue;
      }
      return Optional.of(replay(caller, entry.get(), thisRequestHash));
    }
    throw new ConflictException("a request with this Idempotency-Key is still in progress");
  }

  private Answer replay(Caller caller, IdempotencyStore.Entry e, Supplier<String> thisRequestHash) {
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
    return new Answer(e.status(), e.envelopeId(), new String(answer, StandardCharsets.UTF_8), true);
  }

  /**
   * Runs the create; if it fails, the claim on {@code key} is released so that a retry runs again.
   */
  public <T> T releasingOnFailure(Caller caller, Optional<String> key, Supplier<T> work) {
    try {
      return work.get();
    } catch (RuntimeException | Error e) {
      key.ifPresent(k -> idempotency.release(caller.apiKeyId(), k));
      throw e;
    }
  }

  /**
   * Seals and answers 201 with {@code render}'s JSON; with a key, stores that answer (sealed) and
   * {@code requestHash} in the envelope's transaction. {@code requestHash} is read once the
   * attachments have been consumed.
   */
  public Answer seal(
      Caller caller,
      Draft draft,
      Iterator<? extends AttachmentInput> attachments,
      ClientInfo client,
      Optional<String> key,
      Supplier<String> requestHash,
      Function<Created, String> render) {
    String[] json = new String[1];
    Created created =
        sealEnvelope.seal(
            caller,
            draft,
            attachments,
            client,
            c -> {
              json[0] = render.apply(c);
              key.ifPresent(k -> complete(caller, k, requestHash.get(), c, json[0]));
            });
    return new Answer(CREATED, created.envelopeId(), json[0], false);
  }

  private void complete(Caller caller, String key, String requestHash, Created c, String json) {
    idempotency.complete(
        caller.apiKeyId(),
        key,
        requestHash,
        CREATED,
        secrets.seal(answerContext(caller, c.envelopeId()), json.getBytes(StandardCharsets.UTF_8)),
        c.envelopeId(),
        clock.instant());
  }

  /** A stored answer holds the consumer links: it is kept sealed, bound to the envelope. */
  private static KeyContext answerContext(Caller caller, EnvelopeId envelopeId) {
    return new KeyContext(caller.tenantId(), envelopeId, "idempotent-answer");
  }
}
