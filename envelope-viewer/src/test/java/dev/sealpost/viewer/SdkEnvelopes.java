package dev.sealpost.viewer;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.sealpost.envelope.AttachmentSealer;
import dev.sealpost.envelope.EnvelopeSealer;
import dev.sealpost.envelope.LinkKek;
import dev.sealpost.envelope.LinkSecret;
import dev.sealpost.envelope.ManifestSigner;
import dev.sealpost.envelope.Recipient;
import dev.sealpost.envelope.SealedEnvelope;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Envelopes sealed by the real sdk-java (the format's one implementation), for a consumer link
 * recipient, in the shape {@link FakeOpenApi} serves: the flattened JWE for that recipient, the
 * tenant's JWKS (kid = "&lt;tenantId&gt;.&lt;n&gt;", as the server publishes it) and each
 * attachment's ciphertext stream.
 */
final class SdkEnvelopes {

  private SdkEnvelopes() {}

  record File(String name, String mediaType, byte[] plaintext) {}

  static TestSealer.Sealed seal(
      String tenantName, String subject, String message, Instant expires, List<File> files) {
    return seal(tenantName, null, subject, message, expires, files);
  }

  /** As above, the JWKS also publishing the tenant's unique name ("tenantUniqueName"). */
  static TestSealer.Sealed seal(
      String tenantName,
      String tenantUniqueName,
      String subject,
      String message,
      Instant expires,
      List<File> files) {
    try {
      String tenant = UUID.randomUUID().toString();
      ECKey signingKey = new ECKeyGenerator(Curve.P_256).keyID(tenant + ".1").generate();
      EnvelopeSealer sealer =
          EnvelopeSealer.builder()
              .tenant(tenant)
              .signer(ManifestSigner.fromJwk(signingKey))
              .expiresAt(expires)
              .build();
      List<TestSealer.Attachment> attachments = new ArrayList<>();
      for (File f : files) {
        AttachmentSealer a = sealer.attachment(f.name(), f.mediaType());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        a.seal(new ByteArrayInputStream(f.plaintext()), out);
        attachments.add(
            new TestSealer.Attachment(
                a.id(), f.name(), f.mediaType(), f.plaintext(), out.toByteArray(), null));
      }
      LinkSecret secret = LinkSecret.generate();
      byte[] serverShare = LinkKek.generateServerShare();
      String recipientId = UUID.randomUUID().toString();
      LinkKek kek = LinkKek.derive(serverShare, secret.linkShare(), sealer.envelopeId());
      SealedEnvelope sealed =
          sealer.seal(subject, message, List.of(Recipient.link(recipientId, kek)));
      return new TestSealer.Sealed(
          sealed.envelopeId(),
          recipientId,
          tenant,
          secret.toBase64Url(),
          serverShare,
          sealed.flattenedFor(recipientId),
          TestSealer.jwks(signingKey.toPublicJWK(), tenantName, tenantUniqueName),
          subject,
          message,
          List.copyOf(attachments));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
