package dev.sealpost.envelope.vectors;

import static dev.sealpost.envelope.vectors.HandJose.b64;
import static dev.sealpost.envelope.vectors.HandJose.unb64;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.envelope.EnvelopeSealer;
import dev.sealpost.envelope.ManifestSigner;
import dev.sealpost.envelope.Recipient;
import dev.sealpost.envelope.ReplySealer;
import dev.sealpost.envelope.SealedReply;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The reply vectors ({@code testvectors/replies/reply-*.json}, docs/FORMAT.md section 12): replies
 * sealed by the SDK's {@link ReplySealer} (as the viewer seals them), with receipts signed here by
 * hand the way the server signs them (compact JWS, ES256, plain JCA), and the faults written by
 * hand. Every file is self-contained (its own keys), so these can be regenerated without touching
 * the envelope vectors: {@code TestVectorGenerator --replies}.
 */
final class ReplyVectors {
  /**
   * The reply vectors live in {@code testvectors/replies/}, apart from the envelope vectors, so
   * that envelope openers that run every {@code testvectors/*.json} keep working unchanged.
   */
  static final String DIRECTORY = "replies";

  static final String TENANT = "acme-insurance";
  static final String SIGNER_KID = "acme-insurance.1";
  static final String MALLORY_KID = "mallory.1";
  static final String RSA_KID = "acme-reply-rsa-2026";
  static final String EC_KID = "acme-reply-ec-2026";
  static final Instant CREATED = Instant.parse("2026-12-06T20:00:00Z");
  static final String RECEIVED = "2026-12-06T20:00:05Z";

  private final Path out;
  private final ECKey signer;
  private final ECKey mallory;
  private final RSAKey rsa;
  private final ECKey ec;
  private final String envelopeId = UUID.randomUUID().toString();
  private final String recipientId = UUID.randomUUID().toString();
  private int written;

  /** One reply as uploaded: the manifest document and the attachment objects, by id. */
  private static final class Reply {
    final SealedReply sealed;
    final Map<String, byte[]> objects = new LinkedHashMap<>();
    final Map<String, TestVectorGenerator.Plain> plaintexts = new LinkedHashMap<>();

    Reply(SealedReply sealed) {
      this.sealed = sealed;
    }

    String id(int i) {
      return sealed.attachmentIds().get(i);
    }
  }

  ReplyVectors(Path out) throws Exception {
    this.out = out;
    signer = es256(SIGNER_KID);
    mallory = es256(MALLORY_KID);
    rsa = new RSAKeyGenerator(2048).keyID(RSA_KID).keyUse(KeyUse.ENCRYPTION).generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID(EC_KID).keyUse(KeyUse.ENCRYPTION).generate();
  }

  private static ECKey es256(String kid) throws Exception {
    return new ECKeyGenerator(Curve.P_256)
        .keyID(kid)
        .keyUse(KeyUse.SIGNATURE)
        .algorithm(JWSAlgorithm.ES256)
        .generate();
  }

  int written() {
    return written;
  }

  private Reply seal(List<JWK> keys, String message, List<TestVectorGenerator.Plain> files)
      throws Exception {
    ReplySealer sealer =
        ReplySealer.builder()
            .envelopeId(envelopeId)
            .recipientId(recipientId)
            .replyKeys(keys)
            .createdAt(CREATED)
            .chunkSize(64)
            .build();
    Map<String, byte[]> objects = new LinkedHashMap<>();
    Map<String, TestVectorGenerator.Plain> plain = new LinkedHashMap<>();
    for (TestVectorGenerator.Plain p : files) {
      ByteArrayOutputStream object = new ByteArrayOutputStream();
      String id = sealer.attach(p.name, p.mediaType, new ByteArrayInputStream(p.bytes), object);
      objects.put(id, object.toByteArray());
      plain.put(id, p);
    }
    Reply r = new Reply(sealer.seal(message));
    r.objects.putAll(objects);
    r.plaintexts.putAll(plain);
    return r;
  }

  void generate() throws Exception {
    List<TestVectorGenerator.Plain> files =
        List.of(
            new TestVectorGenerator.Plain(
                "claim-form.txt", "text/plain", TestVectorGenerator.text(200)),
            new TestVectorGenerator.Plain("empty.bin", "application/octet-stream", new byte[0]));
    Reply r = seal(List.of(rsa.toPublicJWK()), "Signed form attached. Grüße 🙂", files);
    Reply e = seal(List.of(ec.toPublicJWK()), "Please find my bank details attached.", files);
    Reply two = seal(List.of(rsa.toPublicJWK(), ec.toPublicJWK()), "", List.of());

    valid(
        "reply-rsa-oaep-256-attachments",
        "A reply sealed to one RSA reply key (RSA-OAEP-256, General JSON with one entry), two"
            + " attachments in 64-byte chunks (200 bytes: 4 chunks; empty: one empty final"
            + " chunk), with the server's receipt.",
        r,
        rsa);
    valid(
        "reply-ecdh-es-a256kw-attachments",
        "A reply sealed to one EC P-256 reply key (ECDH-ES+A256KW), two attachments.",
        e,
        ec);
    valid(
        "reply-general-two-keys",
        "A reply sealed to two reply keys (RSA and EC entries, as the viewer does when the tenant"
            + " publishes two), opened with the EC key; no attachment, empty message.",
        two,
        ec);

    String good = receipt(signer, header(SIGNER_KID), payload(r));
    invalid(
        "reply-receipt-untrusted-signer",
        "The receipt is signed by a key that is not among the trusted keys.",
        r,
        receipt(mallory, header(MALLORY_KID), payload(r)),
        r.sealed.replyId(),
        "untrusted-signer");
    invalid(
        "reply-receipt-typ-manifest",
        "The receipt's typ is sealpost-manifest+jws (a manifest signature passed off as a receipt).",
        r,
        receipt(
            signer,
            "{\"alg\":\"ES256\",\"kid\":\"" + SIGNER_KID + "\",\"typ\":\"sealpost-manifest+jws\"}",
            payload(r)),
        r.sealed.replyId(),
        "unsupported");
    invalid(
        "reply-receipt-alg-none",
        "The receipt is an unsigned JWS (alg none, empty signature).",
        r,
        HandJose.jwsRaw(
            "{\"alg\":\"none\",\"kid\":\""
                + SIGNER_KID
                + "\",\"typ\":\"sealpost-reply-receipt+jws\"}",
            JSONObjectUtils.toJSONString(payload(r)),
            new byte[0]),
        r.sealed.replyId(),
        "unsupported");
    invalid(
        "reply-receipt-other-reply",
        "A correct receipt, but for another reply than the one asked for (request.replyId).",
        r,
        good,
        UUID.randomUUID().toString(),
        "integrity");
    Map<String, Object> manifestBytesChanged =
        invalidHead(
            "reply-manifest-byte-changed",
            "The manifest document has one space added after its opening brace: still a JWE that"
                + " decrypts, but not the bytes whose SHA-256 the receipt names.",
            "integrity",
            "manifest");
    manifestBytesChanged.put("jwe", "{ " + r.sealed.json().substring(1));
    finish(manifestBytesChanged, r, good, r.sealed.replyId(), r.objects, rsa);

    String otherReply = UUID.randomUUID().toString();
    Map<String, Object> idDiffers =
        invalidHead(
            "reply-manifest-reply-id-differs",
            "The receipt (correctly signed, over these exact manifest bytes) names another reply"
                + " id than the reply manifest inside the JWE.",
            "integrity",
            "manifest");
    idDiffers.put("jwe", r.sealed.json());
    Map<String, Object> p = payload(r);
    p.put("replyId", otherReply);
    finish(idDiffers, r, receipt(signer, header(SIGNER_KID), p), otherReply, r.objects, rsa);

    Map<String, byte[]> extra = new LinkedHashMap<>(r.objects);
    extra.put(UUID.randomUUID().toString(), r.objects.get(r.id(1)));
    Map<String, Object> extraAttachment =
        invalidHead(
            "reply-receipt-extra-attachment",
            "The receipt lists one attachment more than the reply manifest.",
            "integrity",
            "manifest");
    extraAttachment.put("jwe", r.sealed.json());
    finish(
        extraAttachment,
        r,
        receipt(signer, header(SIGNER_KID), payload(r, r.sealed.json(), extra)),
        r.sealed.replyId(),
        extra,
        rsa);

    envelopeAsReply(r);
    a256kwEntry(r);
    attachments(r, e);
  }

  /** An envelope's manifest JWE (cty sealpost-manifest+jws) uploaded as a reply manifest. */
  private void envelopeAsReply(Reply r) throws Exception {
    String envelope =
        EnvelopeSealer.builder()
            .envelopeId(envelopeId)
            .tenant(TENANT)
            .createdAt(CREATED)
            .signer(ManifestSigner.fromJwk(signer))
            .build()
            .seal("s", "an envelope, not a reply", List.of(Recipient.partner(rsa.toPublicJWK())))
            .json();
    Map<String, Object> v =
        invalidHead(
            "reply-envelope-manifest-as-reply",
            "An envelope's manifest JWE (cty sealpost-manifest+jws, decryptable with the same key)"
                + " uploaded as a reply manifest, with a correct receipt over its bytes: an"
                + " envelope never opens as a reply.",
            "unsupported",
            "manifest");
    v.put("jwe", envelope);
    finish(
        v,
        r,
        receipt(signer, header(SIGNER_KID), payload(r, envelope, Map.of())),
        r.sealed.replyId(),
        Map.of(),
        rsa);
  }

  /** The reply manifest encrypted by hand with an A256KW entry besides the RSA one. */
  private void a256kwEntry(Reply r) throws Exception {
    byte[] manifest = manifestJson(r.sealed.json(), RSA_KID, rsa.toPrivateKey());
    HandJose.Content c =
        HandJose.encryptContent(
            "{\"cty\":\"sealpost-reply+json\",\"enc\":\"A256GCM\"}", manifest, 32);
    String jwe =
        HandJose.general(
            c,
            List.of(
                new HandJose.Entry(
                    "{\"alg\":\"RSA-OAEP-256\",\"kid\":\"" + RSA_KID + "\"}",
                    HandJose.rsaOaep256(rsa.toPublicKey(), c.cek)),
                new HandJose.Entry(
                    "{\"alg\":\"A256KW\",\"kid\":\"" + recipientId + "\"}",
                    HandJose.aesKeyWrap(HandJose.random(32), c.cek))));
    Map<String, Object> v =
        invalidHead(
            "reply-jwe-a256kw-entry",
            "The reply JWE has an A256KW entry besides the RSA-OAEP-256 one (replies are sealed to"
                + " reply keys only); the RSA entry alone would decrypt.",
            "unsupported",
            "manifest");
    v.put("jwe", jwe);
    finish(
        v,
        r,
        receipt(signer, header(SIGNER_KID), payload(r, jwe, r.objects)),
        r.sealed.replyId(),
        r.objects,
        rsa);
  }

  private void attachments(Reply r, Reply e) throws Exception {
    String good = receipt(signer, header(SIGNER_KID), payload(r));
    String a = r.id(0);
    byte[] flipped = r.objects.get(a).clone();
    flipped[8 + 80 + 3] ^= 0x01;
    attachmentInvalid(
        "reply-attachment-flipped",
        "One bit flipped in chunk 1 of the first attachment; the receipt is unchanged (its"
            + " SHA-256 no longer matches, nor does the chunk's tag).",
        r,
        good,
        a,
        flipped);

    // The same plaintext, key, nonce prefix and attachment id, but the envelope id in the AAD
    // where a reply has its reply id; the receipt is signed over this very object.
    Map<String, Object> entry =
        attachmentEntry(manifestJson(r.sealed.json(), RSA_KID, rsa.toPrivateKey()), a);
    byte[] asEnvelope =
        stream(
            unb64((String) entry.get("key")),
            unb64((String) entry.get("noncePrefix")),
            envelopeId,
            a,
            r.plaintexts.get(a).bytes);
    Map<String, byte[]> objects = new LinkedHashMap<>(r.objects);
    objects.put(a, asEnvelope);
    attachmentInvalid(
        "reply-attachment-envelope-aad",
        "The first attachment sealed with the right key and nonce prefix but the envelope id in"
            + " the AAD instead of the reply id (an envelope's attachment passed off as a reply's);"
            + " the receipt names this object's SHA-256, so only the AAD check catches it.",
        r,
        receipt(signer, header(SIGNER_KID), payload(r, r.sealed.json(), objects)),
        a,
        asEnvelope);

    byte[] theirs = e.objects.get(e.id(0));
    Map<String, byte[]> swapped = new LinkedHashMap<>(r.objects);
    swapped.put(a, theirs);
    attachmentInvalid(
        "reply-attachment-swapped",
        "The first attachment of another reply (same plaintext, its own key, reply id and"
            + " attachment id) under this reply's attachment id; the receipt names its SHA-256.",
        r,
        receipt(signer, header(SIGNER_KID), payload(r, r.sealed.json(), swapped)),
        a,
        theirs);
  }

  // ---------------------------------------------------------------- the server's receipt

  static String header(String kid) {
    return "{\"alg\":\"ES256\",\"kid\":\"" + kid + "\",\"typ\":\"sealpost-reply-receipt+jws\"}";
  }

  private Map<String, Object> payload(Reply r) {
    return payload(r, r.sealed.json(), r.objects);
  }

  private Map<String, Object> payload(Reply r, String manifest, Map<String, byte[]> objects) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("v", 1);
    o.put("tenant", TENANT);
    o.put("envelopeId", envelopeId);
    o.put("recipientId", recipientId);
    o.put("replyId", r.sealed.replyId());
    o.put("received", RECEIVED);
    o.put("manifest", part(null, manifest.getBytes(StandardCharsets.UTF_8)));
    List<Object> parts = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : objects.entrySet()) {
      parts.add(part(e.getKey(), e.getValue()));
    }
    o.put("attachments", parts);
    return o;
  }

  private static Map<String, Object> part(String id, byte[] bytes) {
    Map<String, Object> p = new LinkedHashMap<>();
    if (id != null) {
      p.put("id", id);
    }
    p.put("sha256", b64(TestVectorGenerator.sha256(bytes)));
    p.put("size", bytes.length);
    return p;
  }

  private static String receipt(ECKey key, String headerJson, Map<String, Object> payload)
      throws Exception {
    return HandJose.jwsEs256(headerJson, JSONObjectUtils.toJSONString(payload), key.toPrivateKey());
  }

  // ---------------------------------------------------------------- vector files

  private void valid(String id, String comment, Reply r, JWK key) throws Exception {
    Map<String, Object> v = head(id, comment, "valid");
    v.put("jwe", r.sealed.json());
    String receipt = receipt(signer, header(SIGNER_KID), payload(r));
    v.put("receipt", receipt);
    v.put("request", request(r.sealed.replyId()));
    v.put("attachments", objects(r.objects));
    v.put("keys", keys(key));
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("signerKid", SIGNER_KID);
    expected.put("tenant", TENANT);
    expected.put("envelopeId", envelopeId);
    expected.put("recipientId", recipientId);
    expected.put("replyId", r.sealed.replyId());
    expected.put("created", CREATED.toString());
    expected.put("received", RECEIVED);
    expected.put("message", r.sealed.manifest().message());
    List<Object> atts = new ArrayList<>();
    for (Map.Entry<String, TestVectorGenerator.Plain> e : r.plaintexts.entrySet()) {
      TestVectorGenerator.Plain p = e.getValue();
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("id", e.getKey());
      a.put("name", p.name);
      a.put("mediaType", p.mediaType);
      a.put("size", p.bytes.length);
      a.put("sha256", b64(TestVectorGenerator.sha256(p.bytes)));
      a.put("plaintext", b64(p.bytes));
      atts.add(a);
    }
    expected.put("attachments", atts);
    v.put("expected", expected);
    // Computed with jose4j, not the SDK.
    Map<String, Object> doc = JSONObjectUtils.parse(r.sealed.json());
    byte[][] cekAndPlaintext =
        Jose4jOpener.decryptDetailed(r.sealed.json(), key.getKeyID(), privateKey(key));
    String[] receiptParts = receipt.split("\\.");
    Map<String, Object> i = new LinkedHashMap<>();
    i.put(
        "jweProtectedHeader",
        new String(unb64((String) doc.get("protected")), StandardCharsets.UTF_8));
    i.put("cek", b64(cekAndPlaintext[0]));
    i.put("manifest", new String(cekAndPlaintext[1], StandardCharsets.UTF_8));
    i.put("receiptHeader", new String(unb64(receiptParts[0]), StandardCharsets.UTF_8));
    i.put("receiptPayload", new String(unb64(receiptParts[1]), StandardCharsets.UTF_8));
    v.put("intermediate", i);
    write(v);
  }

  private void invalid(
      String id, String comment, Reply r, String receipt, String replyId, String error)
      throws Exception {
    Map<String, Object> v = invalidHead(id, comment, error, "manifest");
    v.put("jwe", r.sealed.json());
    finish(v, r, receipt, replyId, r.objects, rsa);
  }

  private void attachmentInvalid(
      String id, String comment, Reply r, String receipt, String attachmentId, byte[] object)
      throws Exception {
    Map<String, Object> v = invalidHead(id, comment, "integrity", "attachment");
    v.put("jwe", r.sealed.json());
    finish(v, r, receipt, r.sealed.replyId(), Map.of(attachmentId, object), rsa);
  }

  private Map<String, Object> invalidHead(String id, String comment, String error, String stage) {
    Map<String, Object> v = head(id, comment, "invalid");
    v.put("error", error);
    v.put("stage", stage);
    return v;
  }

  private void finish(
      Map<String, Object> v,
      Reply r,
      String receipt,
      String replyId,
      Map<String, byte[]> objects,
      JWK key)
      throws Exception {
    v.put("receipt", receipt);
    v.put("request", request(replyId));
    v.put("attachments", objects(objects));
    v.put("keys", keys(key));
    write(v);
  }

  private static Map<String, Object> head(String id, String comment, String result) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", id);
    v.put("kind", "reply");
    v.put("comment", comment);
    v.put("result", result);
    return v;
  }

  private Map<String, Object> request(String replyId) {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("envelopeId", envelopeId);
    q.put("replyId", replyId);
    return q;
  }

  private static List<Object> objects(Map<String, byte[]> objects) {
    List<Object> list = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : objects.entrySet()) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("id", e.getKey());
      a.put("ciphertext", b64(e.getValue()));
      list.add(a);
    }
    return list;
  }

  private Map<String, Object> keys(JWK key) {
    Map<String, Object> recipient = new LinkedHashMap<>();
    recipient.put("kind", "jwk");
    recipient.put("jwk", key.toJSONObject());
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("recipient", recipient);
    k.put("trustedKeys", new JWKSet(signer.toPublicJWK()).toJSONObject());
    return k;
  }

  private void write(Map<String, Object> vector) throws Exception {
    Path file = out.resolve(vector.get("id") + ".json");
    if (Files.exists(file)) {
      throw new IllegalStateException("duplicate vector id " + vector.get("id"));
    }
    Files.writeString(file, PrettyJson.write(vector));
    written++;
  }

  // ---------------------------------------------------------------- helpers

  private static Key privateKey(JWK key) throws Exception {
    return key instanceof RSAKey ? ((RSAKey) key).toPrivateKey() : ((ECKey) key).toPrivateKey();
  }

  private static byte[] manifestJson(String jwe, String kid, Key key) throws Exception {
    return Jose4jOpener.decryptDetailed(jwe, kid, key)[1];
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> attachmentEntry(byte[] manifest, String id) throws Exception {
    Map<String, Object> m = JSONObjectUtils.parse(new String(manifest, StandardCharsets.UTF_8));
    for (Object o : (List<Object>) m.get("attachments")) {
      Map<String, Object> a = (Map<String, Object>) o;
      if (id.equals(a.get("id"))) {
        return a;
      }
    }
    throw new IllegalStateException("no attachment " + id);
  }

  /** A STREAM object written with plain JCA (FORMAT.md section 6), 64-byte chunks. */
  private static byte[] stream(
      byte[] key, byte[] noncePrefix, String contextId, String attachmentId, byte[] plaintext)
      throws Exception {
    int chunk = 64;
    byte[] aad = TestVectorGenerator.aad(chunk, contextId, attachmentId);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(aad, 0, 8);
    int n = Math.max(1, (plaintext.length + chunk - 1) / chunk);
    for (int i = 0; i < n; i++) {
      int from = i * chunk;
      int to = Math.min(plaintext.length, from + chunk);
      byte[] part = java.util.Arrays.copyOfRange(plaintext, from, to);
      out.write(
          TestVectorGenerator.gcm(
              key, TestVectorGenerator.nonce(noncePrefix, i, i == n - 1), aad, part));
    }
    return out.toByteArray();
  }
}
