package dev.sealpost.envelope;

import dev.sealpost.exception.UntrustedSignerException;
import java.util.Objects;

/**
 * Opens sealed envelopes: decrypts the manifest JWE with a {@link RecipientKey}, verifies its ES256
 * signature against {@link TrustedKeys}, and hands back an {@link OpenedEnvelope} whose attachments
 * can be streamed out and verified.
 *
 * <p><b>Guarantee.</b> {@link #open} returns only if the JWE decrypted and authenticated under the
 * key, the manifest signature verified under a trusted key whose {@code kid} the JWS names, and
 * every header and the manifest fit format version 1. Otherwise it throws {@link
 * dev.sealpost.exception.IntegrityException} (altered, or not for this key), {@link
 * dev.sealpost.exception.UntrustedSignerException}, {@link
 * dev.sealpost.exception.NoMatchingRecipientException}, {@link
 * dev.sealpost.exception.MalformedEnvelopeException} or {@link
 * dev.sealpost.exception.UnsupportedFormatException}. Only {@code A256GCM} with {@code
 * RSA-OAEP-256}, {@code ECDH-ES+A256KW} (P-256) or {@code A256KW} is accepted; never {@code zip} or
 * {@code crit}. Size and depth limits are checked before any JSON parsing.
 *
 * <p>When the trusted keys are the server's JWKS (every tenant's keys), also call {@link
 * Builder#requireSignerOfManifestTenant()}.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * EnvelopeOpener opener = EnvelopeOpener.builder().trust(TrustedKeys.fromJwksJson(jwks)).build();
 * OpenedEnvelope e = opener.open(jweJson, RecipientKey.privateJwk(myKey), expectedEnvelopeId);
 * try (InputStream in = e.openAttachment(id, Files.newInputStream(blob))) {
 *   in.transferTo(out); // throws IntegrityException on any tampering, at the latest at EOF
 * }
 * }</pre>
 */
public final class EnvelopeOpener {
  private final TrustedKeys trusted;
  private final boolean signerMustBeTenant;

  private EnvelopeOpener(TrustedKeys trusted, boolean signerMustBeTenant) {
    this.trusted = trusted;
    this.signerMustBeTenant = signerMustBeTenant;
  }

  /** A builder; {@code trust} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens a manifest JWE (General or flattened JSON Serialization).
   *
   * @throws dev.sealpost.exception.SealpostException subtypes as described on the class
   */
  public OpenedEnvelope open(String jweJson, RecipientKey key) {
    return open(jweJson, key, null);
  }

  /**
   * Opens a manifest JWE and also checks that the signed manifest names {@code expectedEnvelopeId}
   * (so an envelope cannot be passed off as another one).
   *
   * @param expectedEnvelopeId the id the caller fetched or was told; {@code null} skips the check
   * @throws dev.sealpost.exception.IntegrityException if the manifest names another envelope
   */
  public OpenedEnvelope open(String jweJson, RecipientKey key, String expectedEnvelopeId) {
    Objects.requireNonNull(jweJson, "jweJson");
    Objects.requireNonNull(key, "key");
    OpenedEnvelope opened = EnvelopeCodec.open(jweJson, key, trusted, expectedEnvelopeId);
    if (signerMustBeTenant) {
      checkSignerOfTenant("manifest", opened.signerKeyId(), opened.manifest().tenant());
    }
    return opened;
  }

  /**
   * @param signed what names the tenant ("manifest", "receipt"), for the message
   * @throws UntrustedSignerException if {@code kid} is not one of {@code tenant}'s keys
   */
  static void checkSignerOfTenant(String signed, String kid, String tenant) {
    if (!isTenantKeyId(kid, tenant)) {
      throw new UntrustedSignerException(
          "the "
              + signed
              + " names tenant "
              + JweEnvelope.safe(tenant)
              + " but is signed with kid "
              + JweEnvelope.safe(kid)
              + ", which belongs to another tenant");
    }
  }

  /** The Sealpost server's convention: a signing key's kid is {@code <tenantId>.<n>}. */
  static boolean isTenantKeyId(String kid, String tenant) {
    String prefix = tenant + ".";
    if (!kid.startsWith(prefix) || kid.length() == prefix.length()) {
      return false;
    }
    for (int i = prefix.length(); i < kid.length(); i++) {
      char c = kid.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Builds an {@link EnvelopeOpener}. */
  public static final class Builder extends OpenerBuilder<Builder, EnvelopeOpener> {
    private Builder() {}

    /**
     * Also requires that the signing key belongs to the tenant the manifest names, by the Sealpost
     * server's convention that a signing key's {@code kid} is {@code <tenantId>.<n>} (its {@code
     * /.well-known/jwks.json} holds every tenant's keys). Use it whenever the trusted keys are
     * several tenants' keys, so that one tenant cannot seal in another's name; otherwise {@link
     * UntrustedSignerException} is thrown. Off by default, for keys trusted one by one.
     */
    public Builder requireSignerOfManifestTenant() {
      return requireSignerOfTenant();
    }

    @Override
    Builder self() {
      return this;
    }

    @Override
    EnvelopeOpener create(TrustedKeys trusted, boolean signerMustBeTenant) {
      return new EnvelopeOpener(trusted, signerMustBeTenant);
    }
  }
}
