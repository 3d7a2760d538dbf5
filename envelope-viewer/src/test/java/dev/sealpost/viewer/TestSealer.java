package dev.sealpost.viewer;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.AESEncrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent, test-only implementation of envelope format v1 for a link recipient (PLAN.md /
 * docs/FORMAT.md), written from the spec with Nimbus and JCE. It lets the browser tests build
 * envelopes with chosen flaws (wrong signer, tampered chunks, either final-chunk convention) that
 * the real SDK would never produce. The SDK-sealed cases live in {@link SdkEnvelopes}.
 */
final class TestSealer {

  static final int CHUNK_SIZE = 65536;
  static final SecureRandom RANDOM = new SecureRandom();
  static final Base64.Encoder B64U = Base64.getUrlEncoder().withoutPadding();
  static final Base64.Decoder B64U_DEC = Base64.getUrlDecoder();

  /** A sealed envelope plus everything the fake API and the tests need. */
  record Sealed(
      String envelopeId,
      String recipientId,
      String tenant,
      String linkSecret,
      byte[] serverShare,
      String flattenedJwe,
      String jwksJson,
      String subject,
      String message,
      List<Attachment> attachments) {

    String link() {
      return "/v/" + envelopeId + "/" + recipientId + "#" + linkSecret;
    }

    String token() {
      return B64U.encodeToString(LinkCrypto.token(B64U_DEC.decode(linkSecret)));
    }

    Attachment attachment(String id) {
      return attachments.stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }
  }

  record Attachment(
      String id, String name, String mediaType, byte[] plaintext, byte[] ciphertext, String json) {}

  /** Which chunk carries the final flag when the plaintext fills its last chunk exactly. */
  enum FinalChunk {
    LAST_FULL_CHUNK,
    EXTRA_EMPTY_CHUNK
  }

  private final String tenant;
  private final ECKey signingKey;
  private ECKey publishedKey;
  private String tenantName;
  private FinalChunk finalChunk = FinalChunk.LAST_FULL_CHUNK;
  private boolean wrongSha256;
  private final List<Object[]> files = new ArrayList<>();
  private String subject = "Your policy documents";
  private String message = "Hello,\n\nplease find your policy attached.";
  private Instant expires = Instant.parse("2030-01-31T12:00:00Z");

  private TestSealer(String tenant, String kid) {
    this.tenant = tenant;
    try {
      this.signingKey = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    this.publishedKey = signingKey.toPublicJWK();
  }

  static TestSealer forTenant(String tenant) {
    return new TestSealer(tenant, tenant + ".1");
  }

  /** Signs with a kid that names this tenant but publishes it as-is (for a "wrong tenant" test). */
  static TestSealer forTenantWithKid(String tenant, String kid) {
    return new TestSealer(tenant, kid);
  }

  /** The display name the JWKS publishes with the key ("tenantName"). */
  TestSealer tenantName(String name) {
    this.tenantName = name;
    return this;
  }

  TestSealer subject(String s) {
    this.subject = s;
    return this;
  }

  TestSealer message(String m) {
    this.message = m;
    return this;
  }

  TestSealer expires(Instant e) {
    this.expires = e;
    return this;
  }

  TestSealer finalChunk(FinalChunk f) {
    this.finalChunk = f;
    return this;
  }

  /**
   * The manifest states another SHA-256 for every attachment: each chunk still authenticates, only
   * the whole-file check at the very end fails.
   */
  TestSealer wrongSha256() {
    this.wrongSha256 = true;
    return this;
  }

  /** Publishes another key under the same kid: the signature can no longer verify. */
  TestSealer publishImpostorKey() {
    try {
      this.publishedKey =
          new ECKeyGenerator(Curve.P_256).keyID(signingKey.getKeyID()).generate().toPublicJWK();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  TestSealer attach(String name, String mediaType, byte[] plaintext) {
    files.add(new Object[] {name, mediaType, plaintext});
    return this;
  }

  Sealed seal() {
    try {
      String envelopeId = UUID.randomUUID().toString();
      String recipientId = UUID.randomUUID().toString();
      byte[] linkSecret = random(32);
      byte[] serverShare = random(32);

      List<Attachment> attachments = new ArrayList<>();
      List<Object> descriptors = new ArrayList<>();
      for (Object[] f : files) {
        String id = UUID.randomUUID().toString();
        byte[] key = random(32);
        byte[] prefix = random(7);
        byte[] plain = (byte[]) f[2];
        byte[] cipher = encryptStream(plain, key, prefix, envelopeId, id, finalChunk);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", id);
        d.put("name", f[0]);
        d.put("mediaType", f[1]);
        d.put("size", (long) plain.length);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(plain);
        if (wrongSha256) {
          digest[0] ^= 0x01;
        }
        d.put("sha256", B64U.encodeToString(digest));
        d.put("key", B64U.encodeToString(key));
        d.put("noncePrefix", B64U.encodeToString(prefix));
        d.put("chunkSize", (long) CHUNK_SIZE);
        descriptors.add(d);
        attachments.add(
            new Attachment(
                id, (String) f[0], (String) f[1], plain, cipher, JSONObjectUtils.toJSONString(d)));
      }

      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("v", 1L);
      manifest.put("envelopeId", envelopeId);
      manifest.put("tenant", tenant);
      manifest.put("created", "2026-11-29T09:30:00Z");
      if (expires != null) {
        manifest.put("expires", expires.toString());
      }
      manifest.put("subject", subject);
      manifest.put("message", message);
      manifest.put("attachments", descriptors);

      JWSObject jws =
          new JWSObject(
              new JWSHeader.Builder(JWSAlgorithm.ES256)
                  .keyID(signingKey.getKeyID())
                  .type(new JOSEObjectType("sealpost-manifest+jws"))
                  .build(),
              new Payload(JSONObjectUtils.toJSONString(manifest)));
      jws.sign(new ECDSASigner(signingKey));

      byte[] kek = LinkCrypto.kek(serverShare, LinkCrypto.linkShare(linkSecret), envelopeId);
      JWEObject jwe =
          new JWEObject(
              new JWEHeader.Builder(JWEAlgorithm.A256KW, EncryptionMethod.A256GCM)
                  .contentType("sealpost-manifest+jws")
                  .keyID(recipientId)
                  .build(),
              new Payload(jws.serialize()));
      jwe.encrypt(new AESEncrypter(kek));

      return new Sealed(
          envelopeId,
          recipientId,
          tenant,
          B64U.encodeToString(linkSecret),
          serverShare,
          flattened(jwe.serialize()),
          jwks(publishedKey, tenantName),
          subject,
          message,
          List.copyOf(attachments));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JWKS document with one public key, plus the server's "tenantName" member when given. */
  static String jwks(ECKey publicKey, String tenantName) {
    return jwks(publicKey, tenantName, null);
  }

  /**
   * As above, plus the server's "tenantUniqueName" member (the tenant's unique name) when given.
   */
  static String jwks(ECKey publicKey, String tenantName, String tenantUniqueName) {
    Map<String, Object> jwk = new LinkedHashMap<>(publicKey.toPublicJWK().toJSONObject());
    if (tenantName != null) {
      jwk.put("tenantName", tenantName);
    }
    if (tenantUniqueName != null) {
      jwk.put("tenantUniqueName", tenantUniqueName);
    }
    return JSONObjectUtils.toJSONString(Map.of("keys", List.of(jwk)));
  }

  /** Compact JWE to flattened JSON (everything in the protected header). */
  static String flattened(String compact) {
    String[] p = compact.split("\\.", -1);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("protected", p[0]);
    m.put("encrypted_key", p[1]);
    m.put("iv", p[2]);
    m.put("ciphertext", p[3]);
    m.put("tag", p[4]);
    return JSONObjectUtils.toJSONString(m);
  }

  static byte[] encryptStream(
      byte[] plain,
      byte[] key,
      byte[] prefix,
      String envelopeId,
      String attachmentId,
      FinalChunk convention)
      throws GeneralSecurityException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] header =
        ByteBuffer.allocate(8)
            .put("SPA1".getBytes(StandardCharsets.US_ASCII))
            .putInt(CHUNK_SIZE)
            .array();
    out.writeBytes(header);
    byte[] aad = concat(header, u16(envelopeId), u16(attachmentId));
    int chunks = Math.max(1, (plain.length + CHUNK_SIZE - 1) / CHUNK_SIZE);
    boolean extraEmpty =
        convention == FinalChunk.EXTRA_EMPTY_CHUNK
            && plain.length > 0
            && plain.length % CHUNK_SIZE == 0;
    int total = extraEmpty ? chunks + 1 : chunks;
    for (int i = 0; i < total; i++) {
      int from = Math.min(plain.length, i * CHUNK_SIZE);
      int to = Math.min(plain.length, from + CHUNK_SIZE);
      boolean last = i == total - 1;
      out.writeBytes(sealChunk(key, prefix, i, last, aad, plain, from, to - from));
    }
    return out.toByteArray();
  }

  static byte[] sealChunk(
      byte[] key, byte[] prefix, int counter, boolean last, byte[] aad, byte[] in, int off, int len)
      throws GeneralSecurityException {
    byte[] nonce =
        ByteBuffer.allocate(12).put(prefix).putInt(counter).put((byte) (last ? 1 : 0)).array();
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    c.updateAAD(aad);
    return c.doFinal(in, off, len);
  }

  static byte[] u16(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return concat(new byte[] {(byte) (b.length >>> 8), (byte) b.length}, b);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** DESIGN.md "Wire details", computed in Java with JCE HMAC (RFC 5869 HKDF, one block). */
  static final class LinkCrypto {
    private LinkCrypto() {}

    static byte[] token(byte[] linkSecret) {
      return hkdf(linkSecret, new byte[0], "sealpost link token v1");
    }

    static byte[] linkShare(byte[] linkSecret) {
      return hkdf(linkSecret, new byte[0], "sealpost link share v1");
    }

    static byte[] kek(byte[] serverShare, byte[] linkShare, String envelopeId) {
      return hkdf(
          concat(serverShare, linkShare),
          envelopeId.getBytes(StandardCharsets.UTF_8),
          "sealpost link kek v1");
    }

    static byte[] hkdf(byte[] ikm, byte[] salt, String info) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 1);
        return mac.doFinal();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
