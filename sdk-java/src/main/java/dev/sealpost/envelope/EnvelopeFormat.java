package dev.sealpost.envelope;

/**
 * Format-level operations on a sealed envelope's JWE that need no key.
 *
 * <pre>{@code
 * String forPartner = EnvelopeFormat.flatten(storedGeneralJson, partnerKid);
 * }</pre>
 */
public final class EnvelopeFormat {
  private EnvelopeFormat() {}

  /**
   * Turns a General JSON JWE into the flattened JSON JWE for one recipient: the shared parts plus
   * that recipient's {@code header} and {@code encrypted_key}, and nothing of the other entries. A
   * flattened input with that {@code kid} comes back unchanged in content.
   *
   * @throws dev.sealpost.exception.NoMatchingRecipientException if no entry has that {@code kid}
   * @throws dev.sealpost.exception.MalformedEnvelopeException if the input is not an envelope JWE
   * @throws dev.sealpost.exception.UnsupportedFormatException if it uses what the format forbids
   */
  public static String flatten(String generalJson, String kid) {
    return JweEnvelope.parse(generalJson).flattenedFor(kid);
  }
}
