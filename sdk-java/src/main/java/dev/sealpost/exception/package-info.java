/**
 * The SDK's unchecked exceptions. Catch {@link dev.sealpost.exception.SealpostException} for
 * everything, or a subtype to tell a tampered envelope ({@link
 * dev.sealpost.exception.IntegrityException}) from an untrusted sender ({@link
 * dev.sealpost.exception.UntrustedSignerException}), from input that is not an envelope ({@link
 * dev.sealpost.exception.MalformedEnvelopeException}), from a version or algorithm this SDK refuses
 * ({@link dev.sealpost.exception.UnsupportedFormatException}), from a key that is not addressed
 * ({@link dev.sealpost.exception.NoMatchingRecipientException}).
 *
 * <p>No message ever contains key material, tokens or plaintext.
 */
package dev.sealpost.exception;
