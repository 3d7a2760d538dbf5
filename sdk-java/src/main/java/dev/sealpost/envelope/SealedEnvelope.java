package dev.sealpost.envelope;

import java.util.List;

/**
 * A sealed envelope's manifest: the JWE (General JSON Serialization, one entry per recipient) and
 * the manifest it carries. The attachment streams were written by their {@link AttachmentSealer}s.
 *
 * <p>Serve each recipient {@link #flattenedFor(String)} its own entry only, never the others'.
 */
public final class SealedEnvelope {
  private final String json;
  private final Manifest manifest;
  private final List<String> recipientKeyIds;

  SealedEnvelope(String json, Manifest manifest, List<String> recipientKeyIds) {
    this.json = json;
    this.manifest = manifest;
    this.recipientKeyIds = List.copyOf(recipientKeyIds);
  }

  /** The envelope id. */
  public String envelopeId() {
    return manifest.envelopeId();
  }

  /** The JWE in General JSON Serialization, with every recipient's entry. */
  public String json() {
    return json;
  }

  /** The manifest that was signed and encrypted. */
  public Manifest manifest() {
    return manifest;
  }

  /** The {@code kid} of each recipient entry, in order. */
  public List<String> recipientKeyIds() {
    return recipientKeyIds;
  }

  /**
   * The JWE in flattened JSON Serialization with only the entry whose {@code kid} is given.
   *
   * @throws dev.sealpost.exception.NoMatchingRecipientException if there is no such entry
   */
  public String flattenedFor(String kid) {
    return EnvelopeFormat.flatten(json, kid);
  }

  @Override
  public String toString() {
    return "SealedEnvelope[envelopeId=" + envelopeId() + ", recipients=" + recipientKeyIds + "]";
  }
}
