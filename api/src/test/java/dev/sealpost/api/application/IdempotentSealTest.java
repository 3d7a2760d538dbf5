package dev.sealpost.api.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.application.IdempotentSeal.Answer;
import dev.sealpost.api.domain.ApiKeyId;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ConflictException;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.IdempotencyStore;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.KeyUnavailableException;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.SecretSealer;
import dev.sealpost.api.domain.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Claim, replay, 409 and 422 of {@code Idempotency-Key}, against in-memory ports. */
class IdempotentSealTest {
  private final Caller caller =
      new Caller(new ApiKeyId("key-1"), TenantId.random(), Role.SENDER, Optional.empty(), false);
  private final MemoryStore store = new MemoryStore();
  private final IdempotentSeal seal =
      new IdempotentSeal(
          null, store, new ContextBoundSealer(), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

  @Test
  void firstRequest_claimsTheKey() {
    assertThat(seal.claimOrReplay(caller, "k", "h1", () -> "h1")).isEmpty();
    assertThat(store.entries.get("k").done()).isFalse();
  }

  @Test
  void sameBodyAfterCompletion_replaysTheStoredAnswer() {
    store.entries.put("k", done("h1", sealedAnswer(new EnvelopeId("env-1"), "{\"id\":\"env-1\"}")));
    Answer answer = seal.claimOrReplay(caller, "k", "h1", () -> "h1").orElseThrow();
    assertThat(answer)
        .isEqualTo(
            new Answer(201, new EnvelopeId("env-1"), "{\"id\":\"env-1\"}", /* replayed= */ true));
  }

  @Test
  void differentBody_isRefusedAs422() {
    store.entries.put("k", done("h1", sealedAnswer(new EnvelopeId("env-1"), "{}")));
    assertThatThrownBy(() -> seal.claimOrReplay(caller, "k", "pending", () -> "h2"))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void requestStillRunning_isAConflict() {
    store.entries.put("k", new IdempotencyStore.Entry("h1", false, null, null, null));
    assertThatThrownBy(() -> seal.claimOrReplay(caller, "k", "h1", () -> "h1"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("still in progress");
  }

  @Test
  void revokedEnvelope_isAConflict() {
    store.entries.put(
        "k", new IdempotencyStore.Entry("h1", true, 201, null, new EnvelopeId("env-1")));
    assertThatThrownBy(() -> seal.claimOrReplay(caller, "k", "h1", () -> "h1"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("revoked");
  }

  @Test
  void failedWork_releasesTheClaim() {
    seal.claimOrReplay(caller, "k", "h1", () -> "h1");
    assertThatThrownBy(
            () ->
                seal.releasingOnFailure(
                    caller,
                    Optional.of("k"),
                    () -> {
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.entries).doesNotContainKey("k");
  }

  private IdempotencyStore.Entry done(String hash, String sealed) {
    return new IdempotencyStore.Entry(hash, true, 201, sealed, new EnvelopeId("env-1"));
  }

  private String sealedAnswer(EnvelopeId envelopeId, String json) {
    return new ContextBoundSealer()
        .seal(
            new KeyContext(caller.tenantId(), envelopeId, "idempotent-answer"),
            json.getBytes(StandardCharsets.UTF_8));
  }

  /** Not encryption: binds the text to its context so that a wrong context fails to open. */
  private static final class ContextBoundSealer implements SecretSealer {
    @Override
    public String seal(KeyContext context, byte[] plaintext) {
      return Arrays.toString(context.associatedData())
          + "|"
          + new String(plaintext, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] open(KeyContext context, String sealed) {
      String prefix = Arrays.toString(context.associatedData()) + "|";
      if (!sealed.startsWith(prefix)) {
        throw new KeyUnavailableException("other context");
      }
      return sealed.substring(prefix.length()).getBytes(StandardCharsets.UTF_8);
    }
  }

  private static final class MemoryStore implements IdempotencyStore {
    final Map<String, Entry> entries = new HashMap<>();

    @Override
    public boolean claim(ApiKeyId apiKeyId, String key, String requestHash, Instant now) {
      return entries.putIfAbsent(key, new Entry(requestHash, false, null, null, null)) == null;
    }

    @Override
    public Optional<Entry> find(ApiKeyId apiKeyId, String key) {
      return Optional.ofNullable(entries.get(key));
    }

    @Override
    public void complete(
        ApiKeyId apiKeyId,
        String key,
        String requestHash,
        int status,
        String response,
        EnvelopeId envelopeId,
        Instant now) {
      entries.put(key, new Entry(requestHash, true, status, response, envelopeId));
    }

    @Override
    public void release(ApiKeyId apiKeyId, String key) {
      entries.remove(key);
    }
  }
}
