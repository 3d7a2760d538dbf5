package dev.sealpost.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One API key of the caller's tenant as {@link EnvelopeClient#apiKeys()} lists it: what it is and
 * when it was used, never its secret (the server keeps only a hash and never answers it).
 *
 * <pre>{@code
 * for (ApiKeyInfo k : admin.apiKeys()) {
 *   if (k.isLive(Instant.now()) && k.name().equals("billing")) { ... }
 * }
 * }</pre>
 */
public final class ApiKeyInfo {
  private final String id;
  private final String name;
  private final String role;
  private final String partnerId;
  private final boolean bootstrap;
  private final Instant createdAt;
  private final Instant lastUsedAt;
  private final Instant expiresAt;
  private final Instant revokedAt;

  ApiKeyInfo(
      String id,
      String name,
      String role,
      String partnerId,
      boolean bootstrap,
      Instant createdAt,
      Instant lastUsedAt,
      Instant expiresAt,
      Instant revokedAt) {
    this.id = Objects.requireNonNull(id, "id");
    this.name = name;
    this.role = role;
    this.partnerId = partnerId;
    this.bootstrap = bootstrap;
    this.createdAt = createdAt;
    this.lastUsedAt = lastUsedAt;
    this.expiresAt = expiresAt;
    this.revokedAt = revokedAt;
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  /** {@code ADMIN}, {@code SENDER}, {@code AUDITOR} or {@code PARTNER}. */
  public String role() {
    return role;
  }

  /** The partner a PARTNER key belongs to. */
  public Optional<String> partnerId() {
    return Optional.ofNullable(partnerId);
  }

  /** Whether this is the operator's bootstrap ADMIN key. */
  public boolean bootstrap() {
    return bootstrap;
  }

  public Instant createdAt() {
    return createdAt;
  }

  /** When the key was last used, to the minute; empty if never. */
  public Optional<Instant> lastUsedAt() {
    return Optional.ofNullable(lastUsedAt);
  }

  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  public Optional<Instant> revokedAt() {
    return Optional.ofNullable(revokedAt);
  }

  /** Not revoked and not expired at {@code now}. */
  public boolean isLive(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }

  @Override
  public String toString() {
    return "ApiKeyInfo[" + id + " " + role + " " + name + "]";
  }
}
