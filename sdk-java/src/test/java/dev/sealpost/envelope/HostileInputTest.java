package dev.sealpost.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sealpost.exception.SealpostException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Randomly mutated envelopes and streams: opening either succeeds (the mutation changed nothing
 * that matters) or throws a {@link SealpostException}, never anything else (no null pointer, class
 * cast or index error escapes the parser).
 */
class HostileInputTest {
  private static final String[] TOKENS = {
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "null",
    "true",
    "0",
    "-1",
    "1e999",
    "\"\"",
    "{}",
    "[]",
    "\"alg\"",
    "\"enc\"",
    "\"kid\"",
    "\"epk\"",
    "\"A256KW\"",
    "\"RSA-OAEP-256\"",
    "\"ECDH-ES+A256KW\"",
    "\"protected\"",
    "\"header\"",
    "\"recipients\"",
    "\"encrypted_key\"",
    "\u00e9",
    "\ud83d",
    "="
  };

  private static String mutate(String s, Random r) {
    StringBuilder b = new StringBuilder(s);
    int edits = 1 + r.nextInt(3);
    for (int e = 0; e < edits && b.length() > 0; e++) {
      int at = r.nextInt(b.length());
      switch (r.nextInt(5)) {
        case 0 -> b.setCharAt(at, (char) (b.charAt(at) ^ (1 << r.nextInt(7))));
        case 1 -> b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(20)));
        case 2 -> b.insert(at, TOKENS[r.nextInt(TOKENS.length)]);
        case 3 -> {
          int end = Math.min(b.length(), at + 1 + r.nextInt(40));
          b.insert(r.nextInt(b.length()), b.substring(at, end));
        }
        default ->
            b.replace(
                at, Math.min(b.length(), at + 1 + r.nextInt(8)), TOKENS[r.nextInt(TOKENS.length)]);
      }
    }
    return b.toString();
  }

  @Test
  void mutatedManifestJwes_failOnlyWithSealpostExceptions() {
    byte[] custody = Fixtures.bytes(32, 1);
    SealedEnvelope sealed =
        TestKeys.sealer()
            .build()
            .seal(
                "s",
                "m",
                List.of(
                    Recipient.partner(TestKeys.PARTNER_EC.toPublicJWK()),
                    Recipient.partner(TestKeys.PARTNER_RSA.toPublicJWK()),
                    Recipient.custody("1", custody)));
    List<String> seeds =
        List.of(
            sealed.json(), sealed.flattenedFor("partner-ec-1"), sealed.flattenedFor("custody:1"));
    List<RecipientKey> keys =
        List.of(
            RecipientKey.privateJwk(TestKeys.PARTNER_EC),
            RecipientKey.privateJwk(TestKeys.PARTNER_RSA),
            RecipientKey.custody("1", custody),
            RecipientKey.link(LinkKek.derive(custody, custody, "e")));
    EnvelopeOpener opener = TestKeys.opener();
    Random r = new Random(20261129);
    List<String> escaped = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      String input = mutate(seeds.get(i % seeds.size()), r);
      RecipientKey key = keys.get(r.nextInt(keys.size()));
      try {
        opener.open(input, key);
      } catch (SealpostException expected) {
        // fine
      } catch (RuntimeException | Error e) {
        escaped.add(e + " for input " + input.substring(0, Math.min(300, input.length())));
      }
    }
    if (!escaped.isEmpty()) {
      fail(escaped.size() + " escaped, first: " + escaped.get(0));
    }
  }

  @Test
  void mutatedAttachmentStreams_failOnlyWithIntegrityOrFormatErrors() throws IOException {
    EnvelopeSealer sealer = TestKeys.sealer().chunkSize(32).build();
    AttachmentSealer a = sealer.attachment("a", "x/y");
    byte[] plaintext = Fixtures.bytes(200, 3);
    byte[] cipher = Fixtures.seal(a, plaintext);
    OpenedEnvelope opened =
        TestKeys.opener()
            .open(
                sealer.seal("s", "m", List.of(EnvelopeRoundTripTest.custody())).json(),
                EnvelopeRoundTripTest.custodyKey());
    Random r = new Random(7);
    int rejected = 0;
    for (int i = 0; i < 2000; i++) {
      byte[] mutated = mutateBytes(cipher, r);
      try (InputStream in = opened.openAttachment(a.id(), new ByteArrayInputStream(mutated))) {
        byte[] out = in.readAllBytes();
        assertThat(out).isEqualTo(plaintext);
      } catch (SealpostException expected) {
        rejected++;
      }
    }
    assertThat(rejected).isGreaterThan(1900);
  }

  private static byte[] mutateBytes(byte[] in, Random r) {
    byte[] b = in.clone();
    switch (r.nextInt(4)) {
      case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
      case 1 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
      case 2 -> {
        byte[] longer = java.util.Arrays.copyOf(b, b.length + 1 + r.nextInt(60));
        r.nextBytes(new byte[0]);
        b = longer;
      }
      default -> {
        int from = r.nextInt(b.length);
        int to = r.nextInt(b.length);
        int len = Math.min(48, Math.min(b.length - from, b.length - to));
        System.arraycopy(in, from, b, to, len);
      }
    }
    return b;
  }
}
