package dev.sealpost.envelope;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.NoMatchingRecipientException;
import dev.sealpost.exception.UnsupportedFormatException;
import dev.sealpost.exception.UntrustedSignerException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing (Jazzer) of the SDK's parse entry points for untrusted input: the
 * manifest JWE as served, the signed manifest's JSON, and an attachment's ciphertext stream.
 *
 * <p>The contract each target asserts: the input is either accepted or refused with one of the
 * SDK's typed format exceptions ({@link MalformedEnvelopeException}, {@link
 * UnsupportedFormatException}, {@link IntegrityException}, {@link NoMatchingRecipientException},
 * {@link UntrustedSignerException}). Anything else that escapes (a {@code NullPointerException},
 * {@code ClassCastException}, {@code NumberFormatException}, {@code OutOfMemoryError}, {@code
 * StackOverflowError}, ...) fails the test, and so does one input running longer than the per-input
 * timeout that the build passes to Jazzer ({@code -timeout}).
 *
 * <p>Without {@code JAZZER_FUZZ} every method runs as a regression test over its corpus under
 * {@code src/test/resources/dev/sealpost/envelope/EnvelopeFuzzTestInputs/<method>/} (seeded from
 * {@code testvectors/}; every crash found is kept there). The build also fuzzes each method for a
 * few seconds, and {@code -Pfuzz} for as long as asked: see docs/SECURITY.md, "Fuzzing".
 */
class EnvelopeFuzzTest {
  /** A valid vector with two attachments of 64-byte chunks: short streams reach every state. */
  private static final Fixture FIXTURE = Fixture.load("link-a256kw-attachments");

  @FuzzTest
  void openManifest(byte[] data) {
    String json = new String(data, StandardCharsets.UTF_8);
    try {
      FIXTURE.opener.open(json, FIXTURE.key, FIXTURE.envelopeId);
    } catch (MalformedEnvelopeException
        | UnsupportedFormatException
        | IntegrityException
        | NoMatchingRecipientException
        | UntrustedSignerException expected) {
      // a typed refusal is the contract
    }
  }

  @FuzzTest
  void parseManifest(byte[] data) {
    try {
      ManifestCodec.parse(new String(data, StandardCharsets.UTF_8));
    } catch (MalformedEnvelopeException | UnsupportedFormatException expected) {
      // a typed refusal is the contract
    }
  }

  @FuzzTest
  void openAttachment(byte[] data) throws IOException {
    for (String id : FIXTURE.attachmentIds) {
      try (InputStream in = FIXTURE.opened.openAttachment(id, new ByteArrayInputStream(data))) {
        in.readAllBytes();
      } catch (MalformedEnvelopeException | IntegrityException expected) {
        // a typed refusal is the contract
      }
    }
  }

  /** One valid test vector, opened: its key, its trusted signer and its attachment ids. */
  record Fixture(
      EnvelopeOpener opener,
      RecipientKey key,
      String envelopeId,
      OpenedEnvelope opened,
      List<String> attachmentIds) {

    @SuppressWarnings("unchecked")
    static Fixture load(String id) {
      try {
        Path file =
            Path.of(System.getProperty("basedir", "."))
                .resolve("../testvectors/" + id + ".json")
                .normalize();
        Map<String, Object> v = JSONObjectUtils.parse(Files.readString(file));
        Map<String, Object> keys = (Map<String, Object>) v.get("keys");
        Map<String, Object> k = (Map<String, Object>) keys.get("recipient");
        String envelopeId = (String) k.get("envelopeId");
        LinkSecret secret = LinkSecret.fromBase64Url((String) k.get("linkSecret"));
        LinkKek kek =
            LinkKek.derive(
                Base64.getUrlDecoder().decode((String) k.get("serverShare")),
                secret.linkShare(),
                envelopeId);
        RecipientKey key = RecipientKey.link((String) k.get("recipientId"), kek);
        EnvelopeOpener opener =
            EnvelopeOpener.builder()
                .trust(
                    TrustedKeys.fromJwksJson(
                        JSONObjectUtils.toJSONString(
                            (Map<String, Object>) keys.get("trustedKeys"))))
                .build();
        OpenedEnvelope opened = opener.open((String) v.get("jwe"), key, envelopeId);
        List<String> ids =
            opened.manifest().attachments().stream().map(AttachmentDescriptor::id).toList();
        return new Fixture(opener, key, envelopeId, opened, ids);
      } catch (IOException | java.text.ParseException e) {
        throw new IllegalStateException("test vector " + id + " does not load", e);
      }
    }
  }
}
