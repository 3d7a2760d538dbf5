package dev.sealpost.api.domain;

/**
 * Keeps a small server-side secret (a link secret waiting to be mailed, a stored idempotent answer,
 * a custody copy) only in encrypted form, bound to a {@link KeyContext}: it opens only under the
 * same context, and deleting the sealed string (or the key service losing its master key) destroys
 * the secret. Authenticated encryption with a fresh data key per secret; callers never pass keys or
 * nonces.
 */
public interface SecretSealer {
  /** Seals {@code plaintext} under a fresh data key bound to {@code context}. */
  String seal(KeyContext context, byte[] plaintext);

  /**
   * Opens what {@link #seal} made under the same context.
   *
   * @throws KeyUnavailableException when it does not open under this context (tampered, other
   *     context, key destroyed)
   */
  byte[] open(KeyContext context, String sealed);
}
