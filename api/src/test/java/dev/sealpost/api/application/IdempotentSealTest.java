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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
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
  private final MutableClock clock = new MutableClock();
  private final IdempotentSeal seal =
      new IdempotentSeal(
          null, store, new ContextBoundSealer(), clock, new IdempotencyTtl(Duration.ofHours(24)));

  @Test
  void withinTheWindow_theAnswerIsReplayed() {
    store.entries.put("k", done("h1", sealedAnswer(new EnvelopeId("env-1"), "{\"id\":\"env-1\"}")));
    clock.now = Instant.EPOCH.plus(Duration.ofHours(24)).minusSeconds(1);
    assertThat(seal.claimOrReplay(caller, "k", "h1", () -> "h1")).isPresent();
  }

  @Test
  void afterTheWindow_theAnswerIsNeverReplayed_andTheKeyStartsANewRequest() {
    store.entries.put("k", done("h1", sealedAnswer(new EnvelopeId("env-1"), "{\"id\":\"env-1\"}")));
    clock.now = Instant.EPOCH.plus(Duration.ofHours(24));
    assertThat(seal.claimOrReplay(caller, "k", "h1", () -> "h1")).isEmpty();
    IdempotencyStore.Entry fresh = store.entries.get("k");
    assertThat(fresh.done()).isFalse();
    assertThat(fresh.response()).isNull();
    assertThat(fresh.createdAt()).isEqualTo(clock.now);
  }

  @Test
  void aClaimLeftInProgressPastTheWindow_doesNotBlockTheKeyForever() {
    store.entries.put(
        "k", new IdempotencyStore.Entry("h1", false, null, null, null, Instant.EPOCH));
    clock.now = Instant.EPOCH.plus(Duration.ofDays(2));
    assertThat(seal.claimOrReplay(caller, "k", "h1", () -> "h1")).isEmpty();
    assertThat(store.entries.get("k").createdAt()).isEqualTo(clock.now);
  }

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
    store.entries.put(
        "k", new IdempotencyStore.Entry("h1", false, null, null, null, Instant.EPOCH));
    assertThatThrownBy(() -> seal.claimOrReplay(caller, "k", "h1", () -> "h1"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("still in progress");
  }

  @Test
  void revokedEnvelope_isAConflict() {
    store.entries.put(
        "k",
        new IdempotencyStore.Entry("h1", true, 201, null, new EnvelopeId("env-1"), Instant.EPOCH));
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
    return new IdempotencyStore.Entry(
        hash, true, 201, sealed, new EnvelopeId("env-1"), Instant.EPOCH);
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
      return entries.putIfAbsent(key, new Entry(requestHash, false, null, null, null, now)) == null;
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
      Instant created = entries.get(key).createdAt();
      entries.put(key, new Entry(requestHash, true, status, response, envelopeId, created));
    }

    @Override
    public void release(ApiKeyId apiKeyId, String key) {
      entries.remove(key);
    }

    @Override
    public boolean forgetExpired(ApiKeyId apiKeyId, String key, Instant cutoff) {
      Entry e = entries.get(key);
      return e != null && !e.createdAt().isAfter(cutoff) && entries.remove(key, e);
    }

    @Override
    public int deleteCreatedBefore(Instant cutoff, int limit) {
      throw new UnsupportedOperationException("the sweep is tested against H2");
    }
  }

  private static final class MutableClock extends Clock {
    Instant now = Instant.EPOCH;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
