package dev.sealpost.api.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.ReplyRecord;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantSigner;
import dev.sealpost.envelope.ReplyReceipt;
import dev.sealpost.envelope.TrustedKeys;
import dev.sealpost.exception.IntegrityException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's receipt, read back by sdk-java's independent {@code ReplyReceipt}. */
class ReplyReceiptsTest {
  private static final byte[] DIGEST = new byte[32];

  private static TenantSigner signer(ECKey key) {
    return new TenantSigner() {
      @Override
      public String keyId() {
        return key.getKeyID();
      }

      @Override
      public byte[] sign(byte[] signingInput) {
        try {
          return new ECDSASigner(key)
              .sign(new JWSHeader(JWSAlgorithm.ES256), signingInput)
              .decode();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }
    };
  }

  private static ReplyRecord reply(TenantId tenant) {
    String sha = Base64.getUrlEncoder().withoutPadding().encodeToString(DIGEST);
    return new ReplyRecord(
        "0b6c2d0e-1a2b-4c3d-8e9f-a0b1c2d3e4f5",
        tenant,
        new EnvelopeId("6f1c1f0e-3c1b-4a59-9a57-0c1f7f3e9d11"),
        new RecipientId("1c1f0e6f-3c1b-4a59-9a57-0c1f7f3e9d11"),
        Instant.parse("2026-12-06T20:00:00.789Z"),
        "blob",
        1234,
        sha,
        List.of(new ReplyRecord.Part("2d0e0b6c-1a2b-4c3d-8e9f-a0b1c2d3e4f5", "k", 99, sha)),
        null);
  }

  @Test
  void theReceipt_verifiesWithTheSdk_andSaysExactlyWhatWasReceived() throws Exception {
    TenantId tenant = TenantId.random();
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID(tenant.value() + ".1").generate();
    String jws = ReplyReceipts.sign(reply(tenant), signer(key));

    String header =
        new String(Base64.getUrlDecoder().decode(jws.split("\\.")[0]), StandardCharsets.UTF_8);
    assertThat(header)
        .isEqualTo(
            "{\"alg\":\"ES256\",\"kid\":\""
                + key.getKeyID()
                + "\",\"typ\":\"sealpost-reply-receipt+jws\"}");
    ReplyReceipt r = ReplyReceipt.verify(jws, TrustedKeys.of(List.of(key.toPublicJWK())));
    r.checkFor("6f1c1f0e-3c1b-4a59-9a57-0c1f7f3e9d11", "0b6c2d0e-1a2b-4c3d-8e9f-a0b1c2d3e4f5");
    assertThat(r.tenant()).isEqualTo(tenant.value());
    assertThat(r.recipientId()).isEqualTo("1c1f0e6f-3c1b-4a59-9a57-0c1f7f3e9d11");
    assertThat(r.received()).isEqualTo(Instant.parse("2026-12-06T20:00:00Z"));
    assertThat(r.manifest().size()).isEqualTo(1234);
    assertThat(r.manifest().sha256()).isEqualTo(DIGEST);
    assertThat(r.attachmentIds()).containsExactly("2d0e0b6c-1a2b-4c3d-8e9f-a0b1c2d3e4f5");
    assertThat(r.attachments().get(0).size()).isEqualTo(99);

    // Another key's signature does not verify under this one.
    ECKey other = new ECKeyGenerator(Curve.P_256).keyID(key.getKeyID()).generate();
    String forged = ReplyReceipts.sign(reply(tenant), signer(other));
    assertThatThrownBy(
            () -> ReplyReceipt.verify(forged, TrustedKeys.of(List.of(key.toPublicJWK()))))
        .isInstanceOf(IntegrityException.class);
  }
}
