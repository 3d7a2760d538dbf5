/**
 * The Sealpost envelope format v1: sealing and opening envelopes (specified in docs/FORMAT.md).
 *
 * <p><b>What it guarantees.</b> A sealed envelope's manifest (subject, message, and for each
 * attachment its name, size, SHA-256 and own random key) is signed with ES256 by the sender and
 * then encrypted (JWE, {@code A256GCM}) for each recipient: only a recipient's key opens it, and
 * {@link dev.sealpost.envelope.EnvelopeOpener} returns nothing unless the signature verifies under
 * a trusted key. Attachments are separate streams of AES-256-GCM chunks whose nonces carry a
 * counter and a final flag and whose associated data names the envelope and attachment: a flipped
 * byte, a missing, reordered or foreign chunk, or trailing data fails with {@link
 * dev.sealpost.exception.IntegrityException}. Keys, IVs and nonces are drawn inside from {@link
 * java.security.SecureRandom}; callers never supply them. Only an allow-list of JOSE algorithms is
 * read or written ({@code RSA-OAEP-256}, {@code ECDH-ES+A256KW} on P-256, {@code A256KW}; {@code
 * A256GCM}; {@code ES256}); never compression, never {@code crit}.
 *
 * <p><b>Secure replies</b> (docs/FORMAT.md section 12) use the same parts: {@link
 * dev.sealpost.envelope.ReplySealer} encrypts an unsigned reply manifest to the tenant's reply keys
 * ({@code cty} {@code sealpost-reply+json}) with STREAM attachments bound to the reply id, and
 * {@link dev.sealpost.envelope.ReplyOpener} checks the server's signed {@link
 * dev.sealpost.envelope.ReplyReceipt}, the manifest's digest, the JWE and the ids before returning
 * an {@link dev.sealpost.envelope.OpenedReply}. An envelope never opens as a reply, nor a reply as
 * an envelope.
 *
 * <pre>{@code
 * // Sender
 * EnvelopeSealer sealer = EnvelopeSealer.builder()
 *     .tenant("acme").signer(ManifestSigner.fromJwk(signingKey)).build();
 * AttachmentSealer pdf = sealer.attachment("policy.pdf", "application/pdf");
 * try (InputStream in = Files.newInputStream(file);
 *     OutputStream out = Files.newOutputStream(dir.resolve(pdf.id()))) {
 *   pdf.seal(in, out);
 * }
 * SealedEnvelope sealed = sealer.seal("Your policy", "See attached.",
 *     List.of(Recipient.partner(partnerPublicKey)));
 *
 * // Recipient
 * OpenedEnvelope opened = EnvelopeOpener.builder().trust(TrustedKeys.fromJwksJson(jwks)).build()
 *     .open(sealed.flattenedFor(partnerPublicKey.getKeyID()), RecipientKey.privateJwk(partnerKey));
 * try (InputStream in = Files.newInputStream(dir.resolve(pdf.id()))) {
 *   opened.openAttachment(pdf.id(), in, Files.newOutputStream(out)); // verified to the last byte
 * }
 * }</pre>
 */
package dev.sealpost.envelope;
