package dev.sealpost.envelope;

/** The format's hard limits, in one place (docs/FORMAT.md lists them). */
final class Limits {
  /** A manifest JWE document, in characters (it is ASCII JSON). */
  static final int MAX_JWE_CHARS = 32 * 1024 * 1024;

  /** A reply manifest JWE document, in characters (docs/FORMAT.md section 12): 1 MiB. */
  static final int MAX_REPLY_JWE_CHARS = 1024 * 1024;

  /** A reply receipt (compact JWS), in characters. */
  static final int MAX_RECEIPT_CHARS = 256 * 1024;

  /** A decoded protected header (JWE or JWS), in bytes; checked before it is parsed. */
  static final int MAX_PROTECTED_HEADER_BYTES = 4096;

  /** Base64url characters that {@link #MAX_PROTECTED_HEADER_BYTES} can take. */
  static final int MAX_PROTECTED_HEADER_CHARS = (MAX_PROTECTED_HEADER_BYTES * 4 + 2) / 3;

  /** JSON nesting of the JWE document: object > recipients > entry > header > epk. */
  static final int MAX_JWE_DEPTH = 5;

  /**
   * JSON nesting of a protected header (JWE or JWS): a flat object. So {@code crit} (an array),
   * {@code jwk} or an {@code epk} there are malformed; {@code epk} belongs in the per-recipient
   * header.
   */
  static final int MAX_HEADER_DEPTH = 1;

  /** JSON nesting of the manifest: object > attachments > attachment. */
  static final int MAX_MANIFEST_DEPTH = 3;

  /** Length of ids (envelope, tenant, attachment, kid), in characters. */
  static final int MAX_ID_CHARS = 255;

  private Limits() {}
}
