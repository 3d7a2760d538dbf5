package dev.sealpost.envelope;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.crypto.impl.AESKW;
import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.NoMatchingRecipientException;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Re-wraps one consumer link's entry of a sealed envelope for a new link, so that the old link
 * stops opening it and the new one does (a reissue, e.g. after a lockout). The envelope is not
 * sealed again: its content, IV, tag, protected header and every other entry stay as they are; only
 * the {@code encrypted_key} of the entry whose {@code kid} is the recipient id changes.
 *
 * <p>The content key cannot come from the link's own entry (its KEK needs the old link share, which
 * only the old link holds). It is taken from the envelope's custody entry ({@code A256KW} under the
 * tenant's custody data key), which must first open the content: a wrong custody key or an altered
 * envelope fails before anything is written. Then the content key is wrapped ({@code A256KW}, RFC
 * 3394) under the new link's {@link LinkKek}. AES key wrap is deterministic, so the same inputs
 * always give the same document (docs/FORMAT.md, "Reissuing a consumer link").
 *
 * <pre>{@code
 * LinkSecret link = LinkSecret.generate();                // mailed as the new link
 * byte[] serverShare = LinkKek.generateServerShare();     // stored KMS-encrypted, replaces the old
 * LinkKek kek = LinkKek.derive(serverShare, link.linkShare(), envelopeId);
 * String reissued = LinkReissue.rewrap(storedGeneralJson, "custody:1", custodyKey, recipientId, kek);
 * }</pre>
 */
public final class LinkReissue {
  private LinkReissue() {}

  /**
   * The General JSON JWE with the entry {@code recipientId} wrapped for {@code newKek}.
   *
   * @param generalJson the envelope's JWE as sealed (General JSON Serialization)
   * @param custodyKeyId the custody entry's {@code kid}, e.g. {@code custody:1}
   * @param custodyKey the 32-byte custody data key (not kept)
   * @param recipientId the consumer link entry's {@code kid}
   * @param newKek derived from the new link's share and the envelope id
   * @return the same document, member for member, with that entry's {@code encrypted_key} replaced
   * @throws IntegrityException if the custody key does not open the envelope (wrong key, or the
   *     envelope was altered)
   * @throws NoMatchingRecipientException if there is no custody entry or no link entry with those
   *     {@code kid}s, or one of them is not {@code A256KW}
   * @throws dev.sealpost.exception.MalformedEnvelopeException if the input is not an envelope JWE
   * @throws dev.sealpost.exception.UnsupportedFormatException if it uses what the format forbids
   * @throws IllegalArgumentException if a key is not 32 bytes or the two {@code kid}s are equal
   */
  public static String rewrap(
      String generalJson,
      String custodyKeyId,
      byte[] custodyKey,
      String recipientId,
      LinkKek newKek) {
    if (custodyKeyId == null || custodyKeyId.isEmpty()) {
      throw new IllegalArgumentException("the custody kid is required");
    }
    if (recipientId == null || recipientId.isEmpty() || recipientId.equals(custodyKeyId)) {
      throw new IllegalArgumentException("the recipient id is required and is not the custody kid");
    }
    JweEnvelope envelope = JweEnvelope.parse(generalJson);
    JweEnvelope.Entry custody = a256kw(envelope.entry(custodyKeyId));
    a256kw(envelope.entry(recipientId));
    // The custody key must open the content itself, not only unwrap some 32 bytes: only then is
    // the new entry known to open the envelope.
    byte[] plaintext = envelope.decrypt(RecipientKey.aes(custodyKeyId, custodyKey));
    Arrays.fill(plaintext, (byte) 0);
    byte[] kek = newKek.keyBytes();
    try {
      SecretKey cek =
          AESKW.unwrapCEK(
              new SecretKeySpec(custodyKey, "AES"),
              B64.decode(custody.encryptedKey, "an encrypted_key"),
              null);
      byte[] wrapped = AESKW.wrapCEK(cek, new SecretKeySpec(kek, "AES"), null);
      return envelope.withEncryptedKey(recipientId, B64.encode(wrapped));
    } catch (JOSEException e) {
      throw new IntegrityException("the custody entry did not unwrap with this key", e);
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
  }

  private static JweEnvelope.Entry a256kw(JweEnvelope.Entry entry) {
    if (!JWEAlgorithm.A256KW.getName().equals(entry.alg)) {
      throw new NoMatchingRecipientException(
          "the entry for kid " + entry.kid + " uses " + entry.alg + ", not A256KW");
    }
    return entry;
  }
}
