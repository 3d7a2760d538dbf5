package dev.sealpost.envelope;

/**
 * What {@link EnvelopeOpener.Builder} and {@link ReplyOpener.Builder} share: the trusted keys
 * (required) and whether the signing key must belong to the tenant the signed content names.
 *
 * @param <B> the concrete builder
 * @param <T> what it builds
 */
abstract class OpenerBuilder<B extends OpenerBuilder<B, T>, T> {
  private TrustedKeys trusted;
  private boolean signerMustBeTenant;

  OpenerBuilder() {}

  /** The signing keys to trust (required). */
  public B trust(TrustedKeys trusted) {
    this.trusted = trusted;
    return self();
  }

  /** Requires the signing key to belong to the tenant the signed content names. */
  final B requireSignerOfTenant() {
    this.signerMustBeTenant = true;
    return self();
  }

  /**
   * @throws IllegalStateException if no trusted keys were given
   */
  public T build() {
    if (trusted == null) {
      throw new IllegalStateException("trust(TrustedKeys) is required");
    }
    return create(trusted, signerMustBeTenant);
  }

  abstract B self();

  abstract T create(TrustedKeys trusted, boolean signerMustBeTenant);
}
