package dev.sealpost.benchmarks;

import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.sealpost.envelope.EnvelopeOpener;
import dev.sealpost.envelope.EnvelopeSealer;
import dev.sealpost.envelope.LinkKek;
import dev.sealpost.envelope.ManifestSigner;
import dev.sealpost.envelope.OpenedEnvelope;
import dev.sealpost.envelope.Recipient;
import dev.sealpost.envelope.RecipientKey;
import dev.sealpost.envelope.TrustedKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Manifest seal (sign ES256 + encrypt) and open (decrypt + verify) per second: a small manifest
 * (subject, ~1 KiB message, two attachment descriptors) for one recipient of each kind.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ManifestBenchmark {
  static final byte[] SMALL = new byte[256];
  static final String ENVELOPE_ID = "7d4f4a0e-3c2b-4a55-9d1e-0b9f3c8e2a11";

  @Param({"RSA-OAEP-256", "ECDH-ES+A256KW", "A256KW-link", "A256KW-custody"})
  public String recipientKind;

  ManifestSigner signer;
  Recipient recipient;
  RecipientKey recipientKey;
  EnvelopeOpener opener;
  String message;
  String sealedJson;

  @Setup
  public void setUp() throws Exception {
    ECKey signingKey = new ECKeyGenerator(Curve.P_256).keyID("bench-signer").generate();
    signer = ManifestSigner.fromJwk(signingKey);
    opener =
        EnvelopeOpener.builder().trust(TrustedKeys.of(List.of(signingKey.toPublicJWK()))).build();
    SecureRandom random = new SecureRandom();
    switch (recipientKind) {
      case "RSA-OAEP-256":
        {
          RSAKey k =
              new RSAKeyGenerator(3072)
                  .keyUse(KeyUse.ENCRYPTION)
                  .algorithm(JWEAlgorithm.RSA_OAEP_256)
                  .keyID("bench-rsa")
                  .generate();
          recipient = Recipient.partner(k.toPublicJWK());
          recipientKey = RecipientKey.privateJwk(k);
          break;
        }
      case "ECDH-ES+A256KW":
        {
          ECKey k =
              new ECKeyGenerator(Curve.P_256)
                  .keyUse(KeyUse.ENCRYPTION)
                  .algorithm(JWEAlgorithm.ECDH_ES_A256KW)
                  .keyID("bench-ec")
                  .generate();
          recipient = Recipient.partner(k.toPublicJWK());
          recipientKey = RecipientKey.privateJwk(k);
          break;
        }
      case "A256KW-link":
        {
          byte[] serverShare = new byte[32];
          byte[] linkShare = new byte[32];
          random.nextBytes(serverShare);
          random.nextBytes(linkShare);
          LinkKek kek = LinkKek.derive(serverShare, linkShare, ENVELOPE_ID);
          recipient = Recipient.link("bench-recipient", kek);
          recipientKey = RecipientKey.link("bench-recipient", kek);
          break;
        }
      case "A256KW-custody":
        {
          byte[] key = new byte[32];
          random.nextBytes(key);
          recipient = Recipient.custody("1", key);
          recipientKey = RecipientKey.custody("1", key);
          break;
        }
      default:
        throw new IllegalArgumentException(recipientKind);
    }
    message = "Dear customer, your policy documents are attached. ".repeat(20);
    sealedJson = seal();
  }

  @Benchmark
  public String seal() {
    EnvelopeSealer sealer =
        EnvelopeSealer.builder().envelopeId(ENVELOPE_ID).tenant("bench").signer(signer).build();
    try {
      sealer
          .attachment("policy.pdf", "application/pdf")
          .seal(new ByteArrayInputStream(SMALL), OutputStream.nullOutputStream());
      sealer
          .attachment("claim.pdf", "application/pdf")
          .seal(new ByteArrayInputStream(SMALL), OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sealer.seal("Your policy documents", message, List.of(recipient)).json();
  }

  @Benchmark
  public OpenedEnvelope open() {
    return opener.open(sealedJson, recipientKey);
  }
}
