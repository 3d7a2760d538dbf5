package dev.sealpost.envelope.vectors;

import static dev.sealpost.envelope.vectors.HandJose.b64;
import static dev.sealpost.envelope.vectors.HandJose.quote;
import static dev.sealpost.envelope.vectors.HandJose.random;
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
import dev.sealpost.envelope.AttachmentSealer;
import dev.sealpost.envelope.EnvelopeSealer;
import dev.sealpost.envelope.LinkKek;
import dev.sealpost.envelope.LinkReissue;
import dev.sealpost.envelope.LinkSecret;
import dev.sealpost.envelope.ManifestSigner;
import dev.sealpost.envelope.Recipient;
import dev.sealpost.envelope.SealedEnvelope;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes the shared test vectors under {@code testvectors/}, once; they are checked in and every
 * implementation (this SDK, the api, the viewer) runs them. Regenerating replaces every key and
 * ciphertext, so do it only when the format changes:
 *
 * <pre>
 * ./mvnw -q -pl sdk-java test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.sealpost.envelope.vectors.TestVectorGenerator
 * </pre>
 *
 * <p>Only the reply vectors ({@link ReplyVectors}), leaving every other file as it is: add {@code
 * -Dexec.args=--replies}.
 *
 * <p>Valid envelopes come from the SDK's own sealer. Every malicious header is written by hand as
 * JSON text and base64url ({@link HandJose}), with plain JCA for the cryptography, so that apart
 * from the one thing each vector tests, the envelope is correct: an opener that skipped the check
 * would open it.
 */
public final class TestVectorGenerator {
  static final String TENANT = "acme-insurance";
  static final String SIGNER_KID = "acme-insurance-sig-2026-11";
  static final String MALLORY_KID = "mallory-sig-1";
  static final String RSA_KID = "partner-rsa-2048";
  static final String EC_KID = "partner-ec-p256";
  static final String CUSTODY_VERSION = "1";
  static final String CUSTODY_KID = "custody:" + CUSTODY_VERSION;
  static final Instant CREATED = Instant.parse("2026-11-29T18:00:00Z");
  static final Instant EXPIRES = Instant.parse("2026-12-06T18:00:00Z");
  static final String PROTECTED_OK = "{\"cty\":\"sealpost-manifest+jws\",\"enc\":\"A256GCM\"}";

  private final Path out;
  private final ECKey signer;
  private final ECKey mallory;
  private final RSAKey rsa;
  private final ECKey ec;
  private final LinkSecret linkSecret;
  private final byte[] serverShare;
  private final String linkRecipientId;
  private final byte[] custodyKey;
  private int written;

  private TestVectorGenerator(Path out) throws Exception {
    this.out = out;
    signer =
        new ECKeyGenerator(Curve.P_256)
            .keyID(SIGNER_KID)
            .keyUse(KeyUse.SIGNATURE)
            .algorithm(JWSAlgorithm.ES256)
            .generate();
    mallory =
        new ECKeyGenerator(Curve.P_256)
            .keyID(MALLORY_KID)
            .keyUse(KeyUse.SIGNATURE)
            .algorithm(JWSAlgorithm.ES256)
            .generate();
    rsa = new RSAKeyGenerator(2048).keyID(RSA_KID).keyUse(KeyUse.ENCRYPTION).generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID(EC_KID).keyUse(KeyUse.ENCRYPTION).generate();
    linkSecret = LinkSecret.generate();
    serverShare = LinkKek.generateServerShare();
    linkRecipientId = UUID.randomUUID().toString();
    custodyKey = random(32);
  }

  /**
   * Writes every vector ({@code [DIR]}), or with {@code --replies [DIR]} only the reply vectors (in
   * {@code DIR/replies/}, replacing only those: the envelope vectors stay byte for byte).
   */
  public static void main(String[] args) throws Exception {
    boolean repliesOnly = args.length > 0 && args[0].equals("--replies");
    if (repliesOnly) {
      args = Arrays.copyOfRange(args, 1, args.length);
    }
    Path out = args.length > 0 ? Paths.get(args[0]) : repositoryRoot().resolve("testvectors");
    out = out.toAbsolutePath().normalize();
    Files.createDirectories(out);
    Path repliesDir = out.resolve(ReplyVectors.DIRECTORY);
    Files.createDirectories(repliesDir);
    for (Path dir : repliesOnly ? List.of(repliesDir) : List.of(out, repliesDir)) {
      try (Stream<Path> old = Files.list(dir)) {
        for (Path p : (Iterable<Path>) old::iterator) {
          if (p.getFileName().toString().endsWith(".json")) {
            Files.delete(p);
          }
        }
      }
    }
    ReplyVectors replies = new ReplyVectors(repliesDir);
    replies.generate();
    System.out.println("wrote " + replies.written() + " reply vectors to " + repliesDir);
    if (repliesOnly) {
      return;
    }
    TestVectorGenerator g = new TestVectorGenerator(out);
    g.generate();
    System.out.println("wrote " + g.written + " vectors to " + out);
    if (args.length == 0) {
      Path doc = repositoryRoot().resolve("docs/FORMAT.md");
      Map<String, Object> vector =
          TestVectorsTest.parse(out.resolve(FormatDocExamples.VECTOR + ".json"));
      Files.writeString(doc, FormatDocExamples.sync(Files.readString(doc), vector));
      System.out.println("updated the worked examples in " + doc);
    }
  }

  /** The directory holding sdk-java/, found upwards from where Maven or the IDE runs us. */
  static Path repositoryRoot() {
    Path dir = Paths.get("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("sdk-java/pom.xml"))) {
        return d;
      }
    }
    throw new IllegalStateException("run from inside the repository (no sdk-java/pom.xml above)");
  }

  // ---------------------------------------------------------------- sealing with the SDK

  /** One attachment to seal: its plaintext and what the manifest says about it. */
  static final class Plain {
    final String name;
    final String mediaType;
    final byte[] bytes;

    Plain(String name, String mediaType, byte[] bytes) {
      this.name = name;
      this.mediaType = mediaType;
      this.bytes = bytes;
    }
  }

  /** A sealed envelope plus its attachment objects and plaintexts, keyed by attachment id. */
  static final class Sealed {
    final SealedEnvelope envelope;
    final Map<String, byte[]> ciphertexts = new LinkedHashMap<>();
    final Map<String, Plain> plaintexts = new LinkedHashMap<>();
    final List<String> ids = new ArrayList<>();

    Sealed(SealedEnvelope envelope) {
      this.envelope = envelope;
    }

    String id(int i) {
      return ids.get(i);
    }
  }

  private Sealed seal(
      ManifestSigner manifestSigner,
      int chunkSize,
      String subject,
      String message,
      List<Plain> attachments,
      List<Recipient> recipients)
      throws IOException {
    String envelopeId = UUID.randomUUID().toString();
    return seal(envelopeId, manifestSigner, chunkSize, subject, message, attachments, recipients);
  }

  private Sealed seal(
      String envelopeId,
      ManifestSigner manifestSigner,
      int chunkSize,
      String subject,
      String message,
      List<Plain> attachments,
      List<Recipient> recipients)
      throws IOException {
    EnvelopeSealer sealer =
        EnvelopeSealer.builder()
            .envelopeId(envelopeId)
            .tenant(TENANT)
            .createdAt(CREATED)
            .expiresAt(EXPIRES)
            .signer(manifestSigner)
            .chunkSize(chunkSize)
            .build();
    Map<String, byte[]> cts = new LinkedHashMap<>();
    Map<String, Plain> pts = new LinkedHashMap<>();
    for (Plain p : attachments) {
      AttachmentSealer a = sealer.attachment(p.name, p.mediaType);
      ByteArrayOutputStream ct = new ByteArrayOutputStream();
      a.seal(new ByteArrayInputStream(p.bytes), ct);
      cts.put(a.id(), ct.toByteArray());
      pts.put(a.id(), p);
    }
    Sealed s = new Sealed(sealer.seal(subject, message, recipients));
    s.ciphertexts.putAll(cts);
    s.plaintexts.putAll(pts);
    s.ids.addAll(cts.keySet());
    return s;
  }

  private LinkKek linkKek(String envelopeId) {
    return LinkKek.derive(serverShare, linkSecret.linkShare(), envelopeId);
  }

  private List<Recipient> allKinds(String envelopeId) {
    return List.of(
        Recipient.partner(rsa.toPublicJWK()),
        Recipient.partner(ec.toPublicJWK()),
        Recipient.link(linkRecipientId, linkKek(envelopeId)),
        Recipient.custody(CUSTODY_VERSION, custodyKey));
  }

  // ---------------------------------------------------------------- the vectors

  private void generate() throws Exception {
    ManifestSigner acme = ManifestSigner.fromJwk(signer);

    // Envelope "P": every recipient kind, three attachments at the default 64 KiB chunk size.
    String pid = UUID.randomUUID().toString();
    Sealed p =
        seal(
            pid,
            acme,
            EnvelopeSealer.DEFAULT_CHUNK_SIZE,
            "Your policy documents",
            "Dear customer,\nyour policy documents are attached. Grüße – 保険 🙂\n",
            List.of(
                new Plain("letter.txt", "text/plain", text(1000)),
                new Plain("empty.txt", "text/plain", new byte[0]),
                new Plain("scan – März.bin", "application/octet-stream", bytes(70000))),
            allKinds(pid));
    // Envelope "N": every recipient kind, no attachment, an empty message.
    String nid = UUID.randomUUID().toString();
    Sealed n =
        seal(nid, acme, EnvelopeSealer.DEFAULT_CHUNK_SIZE, "Notice", "", List.of(), allKinds(nid));
    // Envelope "S": small chunks (the format allows 16 B to 1 MiB) so stream attacks stay small.
    String sid = UUID.randomUUID().toString();
    Sealed s =
        seal(
            sid,
            acme,
            64,
            "Claim 2026-118",
            "Two files, sealed in 64-byte chunks.",
            List.of(
                new Plain("claim.txt", "text/plain", text(200)),
                new Plain("exact.bin", "application/octet-stream", bytes(128))),
            List.of(
                Recipient.link(linkRecipientId, linkKek(sid)),
                Recipient.custody(CUSTODY_VERSION, custodyKey)));

    // ---- valid: each recipient kind, with and without attachments
    valid(
        "partner-rsa-oaep-256-attachments",
        "Partner entry RSA-OAEP-256 (RSA-2048), flattened; three attachments at 64 KiB chunks:"
            + " 1000 bytes (one chunk), empty (one empty final chunk), 70000 bytes (a full chunk"
            + " then a final one).",
        p.envelope.flattenedFor(RSA_KID),
        rsaKey(),
        p,
        p.ids);
    valid(
        "partner-rsa-oaep-256-no-attachments",
        "Partner entry RSA-OAEP-256, flattened; no attachment, empty message.",
        n.envelope.flattenedFor(RSA_KID),
        rsaKey(),
        n,
        List.of());
    valid(
        "partner-ecdh-es-a256kw-attachments",
        "Partner entry ECDH-ES+A256KW (P-256), flattened; two of the envelope's attachments.",
        p.envelope.flattenedFor(EC_KID),
        ecKey(),
        p,
        List.of(p.id(0), p.id(1)));
    valid(
        "partner-ecdh-es-a256kw-no-attachments",
        "Partner entry ECDH-ES+A256KW (P-256), flattened; no attachment.",
        n.envelope.flattenedFor(EC_KID),
        ecKey(),
        n,
        List.of());
    valid(
        "link-a256kw-attachments",
        "Consumer link entry A256KW; the KEK comes from linkSecret and serverShare (HKDF-SHA256,"
            + " salt = envelope id); the attachments use 64-byte chunks: 200 bytes (4 chunks) and"
            + " 128 bytes (2 full chunks, the last one final).",
        s.envelope.flattenedFor(linkRecipientId),
        linkKey(sid),
        s,
        s.ids);
    valid(
        "link-a256kw-no-attachments",
        "Consumer link entry A256KW, flattened; no attachment.",
        n.envelope.flattenedFor(linkRecipientId),
        linkKey(nid),
        n,
        List.of());
    valid(
        "custody-a256kw-attachments",
        "Custody entry A256KW under the tenant's 32-byte data key (kid custody:1), flattened.",
        p.envelope.flattenedFor(CUSTODY_KID),
        custodyKey(),
        p,
        List.of(p.id(0)));
    valid(
        "custody-a256kw-no-attachments",
        "Custody entry A256KW, flattened; no attachment.",
        n.envelope.flattenedFor(CUSTODY_KID),
        custodyKey(),
        n,
        List.of());
    valid(
        "general-json-four-recipients",
        "The General JSON Serialization as sealed, with all four entries (RSA, EC, link,"
            + " custody), opened with the EC partner key.",
        p.envelope.json(),
        ecKey(),
        p,
        List.of(p.id(1)));

    jweTampering(p);
    streamTampering(s, sid);
    keysAndSigners(n, nid, acme);
    maliciousHeaders(n);
    reissue(acme);
  }

  // ---------------------------------------------------------------- JWE parts

  private void jweTampering(Sealed p) throws Exception {
    String jwe = p.envelope.flattenedFor(RSA_KID);
    Map<String, Object> o = JSONObjectUtils.parse(jwe);
    String prot = new String(unb64((String) o.get("protected")), StandardCharsets.UTF_8);
    // A byte of the decoded protected header changes, the JSON keeping its meaning: JSON allows
    // whitespace, so the header parses the same but the AAD (the base64url text) differs.
    String protWs = prot.replace("\"enc\":", "\"enc\": ");
    invalid(
        "jwe-protected-changed",
        "The protected header re-encoded with one byte more (a space after \"enc\":): it means the"
            + " same, but the AAD is the base64url text, so the GCM tag fails.",
        withMember(jwe, "protected", b64(protWs)),
        rsaKey(),
        "integrity",
        "manifest",
        p,
        List.of());
    invalid(
        "jwe-encrypted-key-flipped",
        "One bit of the RSA-OAEP encrypted_key flipped: the OAEP unwrap fails.",
        flipMember(jwe, "encrypted_key", 100),
        rsaKey(),
        "integrity",
        "manifest",
        p,
        List.of());
    invalid(
        "jwe-iv-flipped",
        "One bit of the 12-byte IV flipped.",
        flipMember(jwe, "iv", 5),
        rsaKey(),
        "integrity",
        "manifest",
        p,
        List.of());
    invalid(
        "jwe-ciphertext-flipped",
        "One bit of the JWE ciphertext flipped.",
        flipMember(jwe, "ciphertext", 40),
        rsaKey(),
        "integrity",
        "manifest",
        p,
        List.of());
    invalid(
        "jwe-tag-flipped",
        "One bit of the 16-byte GCM tag flipped.",
        flipMember(jwe, "tag", 15),
        rsaKey(),
        "integrity",
        "manifest",
        p,
        List.of());
    String ecJwe = p.envelope.flattenedFor(EC_KID);
    Map<String, Object> ecObj = JSONObjectUtils.parse(ecJwe);
    @SuppressWarnings("unchecked")
    Map<String, Object> header = (Map<String, Object>) ecObj.get("header");
    ECKey otherEpk = new ECKeyGenerator(Curve.P_256).generate().toPublicJWK();
    String headerJson =
        "{\"alg\":\"ECDH-ES+A256KW\",\"kid\":"
            + quote((String) header.get("kid"))
            + ",\"epk\":"
            + otherEpk.toJSONString()
            + "}";
    invalid(
        "jwe-epk-replaced",
        "The ECDH-ES ephemeral key replaced by another valid P-256 point: a different KEK, so the"
            + " AES key unwrap fails.",
        flattenedWithHeader(ecJwe, headerJson),
        ecKey(),
        "integrity",
        "manifest",
        p,
        List.of());
  }

  // ---------------------------------------------------------------- attachment streams

  private void streamTampering(Sealed s, String sid) throws Exception {
    String jwe = s.envelope.flattenedFor(CUSTODY_KID);
    String a = s.id(0); // 200 bytes, chunks of 64: 64, 64, 64, 8 (+16 each)
    String b = s.id(1); // 128 bytes: 64, 64
    byte[] ca = s.ciphertexts.get(a);
    byte[] cb = s.ciphertexts.get(b);
    int c = 64 + 16;
    int h = 8;

    byte[] flipped = ca.clone();
    flipped[h + c + 10] ^= 0x01;
    streamInvalid(
        "attachment-chunk-flipped",
        "One bit flipped in chunk 1 of a 4-chunk attachment.",
        jwe,
        s,
        a,
        flipped,
        "integrity");
    byte[] tagFlipped = ca.clone();
    tagFlipped[h + c - 1] ^= (byte) 0x80;
    streamInvalid(
        "attachment-tag-flipped",
        "One bit flipped in the tag of chunk 0.",
        jwe,
        s,
        a,
        tagFlipped,
        "integrity");
    byte[] headerChanged = ca.clone();
    headerChanged[7] = 32; // chunk size 64 -> 32 in the stream header
    streamInvalid(
        "attachment-header-chunk-size-changed",
        "The stream header says chunk size 32 where the manifest says 64.",
        jwe,
        s,
        a,
        headerChanged,
        "integrity");
    byte[] magic = ca.clone();
    System.arraycopy(new byte[] {'P', 'K', 3, 4}, 0, magic, 0, 4);
    streamInvalid(
        "attachment-wrong-magic",
        "The object starts with PK 03 04 (a ZIP file), not SPA1: not a Sealpost attachment.",
        jwe,
        s,
        a,
        magic,
        "malformed");
    streamInvalid(
        "attachment-truncated-mid-chunk",
        "The stream cut 5 bytes before its end (inside the final chunk's tag).",
        jwe,
        s,
        a,
        Arrays.copyOf(ca, ca.length - 5),
        "integrity");
    streamInvalid(
        "attachment-truncated-at-chunk-boundary",
        "The final chunk removed: the stream ends on a chunk boundary after 3 chunks.",
        jwe,
        s,
        a,
        Arrays.copyOf(ca, h + 3 * c),
        "integrity");
    streamInvalid(
        "attachment-empty-object",
        "The attachment object is empty (0 bytes).",
        jwe,
        s,
        a,
        new byte[0],
        "integrity");
    byte[] reordered = ca.clone();
    System.arraycopy(ca, h + c, reordered, h, c);
    System.arraycopy(ca, h, reordered, h + c, c);
    streamInvalid(
        "attachment-reordered-chunks",
        "Chunks 0 and 1 swapped (same length, both authentic, wrong counters).",
        jwe,
        s,
        a,
        reordered,
        "integrity");
    byte[] spliced = ca.clone();
    System.arraycopy(cb, h, spliced, h + c, c);
    streamInvalid(
        "attachment-chunk-spliced",
        "Chunk 1 replaced by chunk 0 of the envelope's other attachment (same length, authentic"
            + " under that attachment's key and AAD).",
        jwe,
        s,
        a,
        spliced,
        "integrity");
    byte[] appended = new byte[ca.length + c];
    System.arraycopy(ca, 0, appended, 0, ca.length);
    System.arraycopy(cb, h, appended, ca.length, c);
    streamInvalid(
        "attachment-data-after-final-chunk",
        "A chunk appended after the final one.",
        jwe,
        s,
        a,
        appended,
        "integrity");

    // Missing final marker: re-encrypt the last chunk of B with final flag 0x00, with the key and
    // nonce prefix that the (decrypted) manifest gives; the stream is otherwise authentic.
    Map<String, Object> manifest = manifestOf(jwe, CUSTODY_KID, HandJose.aesKey(custodyKey));
    Map<String, Object> descB = attachmentEntry(manifest, b);
    byte[] key = unb64((String) descB.get("key"));
    byte[] prefix = unb64((String) descB.get("noncePrefix"));
    byte[] plainB = s.plaintexts.get(b).bytes;
    byte[] aad = aad(64, sid, b);
    byte[] noFinal = cb.clone();
    byte[] lastChunk = gcm(key, nonce(prefix, 1, false), aad, Arrays.copyOfRange(plainB, 64, 128));
    System.arraycopy(lastChunk, 0, noFinal, h + c, c);
    streamInvalid(
        "attachment-missing-final-marker",
        "The last chunk re-encrypted, correctly, but with final flag 0x00 in its nonce: a writer"
            + " that never finished, or a stream cut before its real end.",
        jwe,
        s,
        b,
        noFinal,
        "integrity");
  }

  // ---------------------------------------------------------------- keys and signers

  private void keysAndSigners(Sealed n, String nid, ManifestSigner acme) throws Exception {
    RSAKey otherRsa = new RSAKeyGenerator(2048).keyID(RSA_KID).generate();
    invalid(
        "wrong-key-same-kid",
        "Opened with another RSA key that carries the right kid.",
        n.envelope.flattenedFor(RSA_KID),
        jwkKey(otherRsa),
        "integrity",
        "manifest",
        n,
        List.of());
    Map<String, Object> wrongLink = linkKey(nid);
    wrongLink.put("serverShare", b64(random(32)));
    wrongLink.remove("expected");
    invalid(
        "link-wrong-server-share",
        "The link secret is right but the server share is another one: another KEK.",
        n.envelope.flattenedFor(linkRecipientId),
        wrongLink,
        "integrity",
        "manifest",
        n,
        List.of());
    invalid(
        "no-matching-recipient",
        "The RSA partner's flattened entry opened with the EC partner's key (another kid).",
        n.envelope.flattenedFor(RSA_KID),
        ecKey(),
        "no-recipient",
        "manifest",
        n,
        List.of());

    Sealed untrusted =
        seal(
            ManifestSigner.fromJwk(mallory),
            EnvelopeSealer.DEFAULT_CHUNK_SIZE,
            "Notice",
            "signed by a key the recipient does not trust",
            List.of(),
            List.of(Recipient.partner(rsa.toPublicJWK())));
    invalid(
        "untrusted-signer",
        "Correctly sealed and signed, but by a key (kid mallory-sig-1) that is not in trustedKeys.",
        untrusted.envelope.flattenedFor(RSA_KID),
        rsaKey(),
        "untrusted-signer",
        "manifest",
        untrusted,
        List.of());

    ManifestSigner impostor =
        new ManifestSigner() {
          final ManifestSigner real = ManifestSigner.fromJwk(mallory);

          @Override
          public String keyId() {
            return SIGNER_KID;
          }

          @Override
          public byte[] sign(byte[] signingInput) {
            return real.sign(signingInput);
          }
        };
    Sealed forged =
        seal(
            impostor,
            EnvelopeSealer.DEFAULT_CHUNK_SIZE,
            "Notice",
            "signed by another key under the trusted kid",
            List.of(),
            List.of(Recipient.partner(rsa.toPublicJWK())));
    invalid(
        "signature-by-other-key",
        "The JWS names the trusted kid but was signed by another P-256 key: the signature fails.",
        forged.envelope.flattenedFor(RSA_KID),
        rsaKey(),
        "integrity",
        "manifest",
        forged,
        List.of());
  }

  // ---------------------------------------------------------------- reissuing a link

  /**
   * A consumer link reissued with {@link LinkReissue}: envelope "R" (partner, link, custody) is
   * sealed for the generator's link; the link entry is then re-wrapped for a new link secret and a
   * new server share, with the content key taken from the custody entry.
   */
  private void reissue(ManifestSigner acme) throws Exception {
    String rid = UUID.randomUUID().toString();
    Sealed r =
        seal(
            rid,
            acme,
            64,
            "Your new link",
            "Sealed once; the link was reissued after a lockout.",
            List.of(new Plain("note.txt", "text/plain", text(100))),
            List.of(
                Recipient.partner(ec.toPublicJWK()),
                Recipient.link(linkRecipientId, linkKek(rid)),
                Recipient.custody(CUSTODY_VERSION, custodyKey)));
    String before = r.envelope.json();
    LinkSecret newSecret = LinkSecret.generate();
    byte[] newShare = LinkKek.generateServerShare();
    String after =
        LinkReissue.rewrap(
            before,
            CUSTODY_KID,
            custodyKey,
            linkRecipientId,
            LinkKek.derive(newShare, newSecret.linkShare(), rid));
    // Checked independently of the SDK: jose4j recovers the content key through the custody entry,
    // plain JCA wraps it under the new KEK from this class's own HKDF.
    byte[] cek = Jose4jOpener.decryptDetailed(before, CUSTODY_KID, HandJose.aesKey(custodyKey))[0];
    byte[] newKek =
        hkdfKek(
            newShare,
            hkdf(unb64(newSecret.toBase64Url()), new byte[0], "sealpost link share v1"),
            rid);
    String expectedKey = b64(HandJose.aesKeyWrap(newKek, cek));
    if (!after.equals(before.replace(entryKey(before, linkRecipientId), expectedKey))) {
      throw new IllegalStateException("LinkReissue disagrees with the independent re-wrap");
    }
    Map<String, Object> reissue = new LinkedHashMap<>();
    reissue.put("before", before);
    reissue.put("custody", custodyKey());
    reissue.put("recipientId", linkRecipientId);
    reissue.put("oldLink", linkKey(rid));

    Map<String, Object> v =
        head(
            "link-reissue-rewrapped",
            "A reissued consumer link (FORMAT.md 4.5): jwe is reissue.before (General JSON:"
                + " partner, link, custody) with only the link entry's encrypted_key replaced: the"
                + " content key, unwrapped from the custody entry with reissue.custody, wrapped"
                + " (A256KW, deterministic) under the KEK of the new link in keys.recipient. Every"
                + " other member is unchanged; the new link opens it.",
            "valid");
    v.put("jwe", after);
    v.put("attachments", attachments(r, r.ids));
    Map<String, Object> newLink = linkKey(rid, newSecret, newShare);
    v.put("keys", keys(newLink));
    v.put("expected", expected(r));
    v.put("intermediate", intermediate(after, newLink));
    v.put("reissue", reissue);
    write(v);
    invalid(
        "link-reissue-old-link",
        "The reissued envelope of link-reissue-rewrapped opened with the old link (which opened"
            + " it before the reissue): its KEK no longer unwraps the entry.",
        after,
        linkKey(rid),
        "integrity",
        "manifest",
        r,
        List.of());
  }

  @SuppressWarnings("unchecked")
  private static String entryKey(String generalJson, String kid) throws Exception {
    for (Object o : (List<Object>) JSONObjectUtils.parse(generalJson).get("recipients")) {
      Map<String, Object> entry = (Map<String, Object>) o;
      if (kid.equals(((Map<String, Object>) entry.get("header")).get("kid"))) {
        return (String) entry.get("encrypted_key");
      }
    }
    throw new IllegalStateException("no entry " + kid);
  }

  // ---------------------------------------------------------------- hand-built headers

  private void maliciousHeaders(Sealed n) throws Exception {
    String manifestJson =
        payloadOf(
            Jose4jOpener.decrypt(n.envelope.flattenedFor(RSA_KID), RSA_KID, rsa.toRSAPrivateKey()));
    String goodJwsHeader =
        "{\"alg\":\"ES256\",\"kid\":" + quote(SIGNER_KID) + ",\"typ\":\"sealpost-manifest+jws\"}";
    String goodJws = HandJose.jwsEs256(goodJwsHeader, manifestJson, signer.toECPrivateKey());
    String rsaEntry = "{\"alg\":\"RSA-OAEP-256\",\"kid\":" + quote(RSA_KID) + "}";

    // The control: everything hand-built, everything right. If this one fails, the hand-built
    // invalid vectors prove nothing.
    valid(
        "handbuilt-control",
        "Hand-built (JSON text, base64url, JCA) like the malicious vectors below, but correct: it"
            + " must open, which shows those fail only for the reason they name.",
        rsaJwe(PROTECTED_OK, goodJws.getBytes(StandardCharsets.US_ASCII), rsaEntry, 32),
        rsaKey(),
        n,
        List.of());

    // -- the nested JWS
    invalid(
        "jws-alg-none",
        "The manifest JWS is unsigned: header alg none, empty signature.",
        rsaJwe(
            PROTECTED_OK,
            HandJose.jwsRaw(
                    "{\"alg\":\"none\",\"kid\":"
                        + quote(SIGNER_KID)
                        + ",\"typ\":\"sealpost-manifest+jws\"}",
                    manifestJson,
                    new byte[0])
                .getBytes(StandardCharsets.US_ASCII),
            rsaEntry,
            32),
        rsaKey(),
        "unsupported",
        "manifest",
        n,
        List.of());
    ECPublicKey pub = signer.toECPublicKey();
    byte[] hmacKey =
        concat(unsigned32(pub.getW().getAffineX()), unsigned32(pub.getW().getAffineY()));
    String hsHeader =
        "{\"alg\":\"HS256\",\"kid\":" + quote(SIGNER_KID) + ",\"typ\":\"sealpost-manifest+jws\"}";
    String hsInput = b64(hsHeader) + "." + b64(manifestJson);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
    String hsJws = hsInput + "." + b64(mac.doFinal(hsInput.getBytes(StandardCharsets.US_ASCII)));
    invalid(
        "jws-alg-hs256-key-confusion",
        "The manifest JWS is HS256, keyed with the trusted signer's public key bytes (x || y):"
            + " the classic algorithm confusion.",
        rsaJwe(PROTECTED_OK, hsJws.getBytes(StandardCharsets.US_ASCII), rsaEntry, 32),
        rsaKey(),
        "unsupported",
        "manifest",
        n,
        List.of());
    String deepJwsHeader =
        "{\"alg\":\"ES256\",\"kid\":"
            + quote(SIGNER_KID)
            + ",\"typ\":\"sealpost-manifest+jws\",\"x\":"
            + HandJose.nested(10_000)
            + "}";
    invalid(
        "jws-header-nested-10000",
        "The manifest JWS header holds an array nested 10,000 deep (20 KB): rejected by size"
            + " before any JSON parser sees it.",
        rsaJwe(
            PROTECTED_OK,
            HandJose.jwsEs256(deepJwsHeader, manifestJson, signer.toECPrivateKey())
                .getBytes(StandardCharsets.US_ASCII),
            rsaEntry,
            32),
        rsaKey(),
        "malformed",
        "manifest",
        n,
        List.of());
    String v2 = manifestJson.replace("\"v\":1", "\"v\":2");
    if (v2.equals(manifestJson)) {
      throw new IllegalStateException("the manifest has no \"v\":1 member");
    }
    invalid(
        "manifest-version-2",
        "A correctly signed manifest with v 2: a version this opener does not know.",
        rsaJwe(
            PROTECTED_OK,
            HandJose.jwsEs256(goodJwsHeader, v2, signer.toECPrivateKey())
                .getBytes(StandardCharsets.US_ASCII),
            rsaEntry,
            32),
        rsaKey(),
        "unsupported",
        "manifest",
        n,
        List.of());

    // -- the JWE protected header
    byte[] jws = goodJws.getBytes(StandardCharsets.US_ASCII);
    invalid(
        "jwe-zip-def",
        "Protected header with zip DEF and a really DEFLATE-compressed plaintext.",
        rsaJwe(
            "{\"cty\":\"sealpost-manifest+jws\",\"enc\":\"A256GCM\",\"zip\":\"DEF\"}",
            HandJose.deflate(jws),
            rsaEntry,
            32),
        rsaKey(),
        "unsupported",
        "manifest",
        n,
        List.of());
    invalid(
        "jwe-crit-unknown",
        "Protected header with crit naming an extension no one implements. crit is an array and"
            + " protected headers must be flat JSON objects, so it is malformed (FORMAT.md 4.1).",
        rsaJwe(
            "{\"cty\":\"sealpost-manifest+jws\",\"enc\":\"A256GCM\","
                + "\"crit\":[\"sealpost-unknown\"],\"sealpost-unknown\":true}",
            jws,
            rsaEntry,
            32),
        rsaKey(),
        "malformed",
        "manifest",
        n,
        List.of());
    invalid(
        "jwe-enc-a128gcm",
        "enc A128GCM (a 16-byte CEK): only A256GCM is allowed.",
        rsaJwe("{\"cty\":\"sealpost-manifest+jws\",\"enc\":\"A128GCM\"}", jws, rsaEntry, 16),
        rsaKey(),
        "unsupported",
        "manifest",
        n,
        List.of());
    invalid(
        "jwe-protected-nested-10000",
        "The JWE protected header holds an array nested 10,000 deep (20 KB): rejected by size"
            + " before it is decoded or parsed.",
        rsaJwe(
            "{\"cty\":\"sealpost-manifest+jws\",\"enc\":\"A256GCM\",\"x\":"
                + HandJose.nested(10_000)
                + "}",
            jws,
            rsaEntry,
            32),
        rsaKey(),
        "malformed",
        "manifest",
        n,
        List.of());

    // -- per-recipient headers
    HandJose.Content c = HandJose.encryptContent(PROTECTED_OK, jws, 32);
    invalid(
        "jwe-alg-rsa1-5",
        "Recipient alg RSA1_5 (PKCS#1 v1.5, Bleichenbacher-prone), the CEK really wrapped so.",
        HandJose.flattened(
            c,
            new HandJose.Entry(
                "{\"alg\":\"RSA1_5\",\"kid\":" + quote(RSA_KID) + "}",
                HandJose.rsa15(rsa.toPublicKey(), c.cek))),
        rsaKey(),
        "unsupported",
        "manifest",
        n,
        List.of());
    invalid(
        "jwe-recipient-crit",
        "The per-recipient header carries crit naming an unknown extension (the CEK really wrapped"
            + " for the RSA key): unsupported.",
        HandJose.flattened(
            c,
            new HandJose.Entry(
                "{\"alg\":\"RSA-OAEP-256\",\"kid\":"
                    + quote(RSA_KID)
                    + ",\"crit\":[\"sealpost-unknown\"],\"sealpost-unknown\":true}",
                HandJose.rsaOaep256(rsa.toPublicKey(), c.cek))),
        rsaKey(),
        "unsupported",
        "manifest",
        n,
        List.of());
    invalid(
        "jwe-alg-none",
        "Recipient alg none with an empty encrypted_key.",
        HandJose.flattened(
            c,
            new HandJose.Entry("{\"alg\":\"none\",\"kid\":" + quote(RSA_KID) + "}", new byte[0])),
        rsaKey(),
        "unsupported",
        "manifest",
        n,
        List.of());
    HandJose.Content direct = HandJose.encryptContent(PROTECTED_OK, jws, custodyKey.clone());
    invalid(
        "jwe-alg-dir",
        "Recipient alg dir: the custody key used directly as the CEK, empty encrypted_key.",
        HandJose.flattened(
            direct,
            new HandJose.Entry(
                "{\"alg\":\"dir\",\"kid\":" + quote(CUSTODY_KID) + "}", new byte[0])),
        custodyKey(),
        "unsupported",
        "manifest",
        n,
        List.of());
    byte[] salt = random(16);
    invalid(
        "jwe-alg-pbes2-hs256-a128kw",
        "Recipient alg PBES2-HS256+A128KW (password-based) with p2c 1000, for the custody kid.",
        HandJose.flattened(
            c,
            new HandJose.Entry(
                "{\"alg\":\"PBES2-HS256+A128KW\",\"kid\":"
                    + quote(CUSTODY_KID)
                    + ",\"p2s\":\""
                    + b64(salt)
                    + "\",\"p2c\":1000}",
                pbes2Wrap(custodyKey, "PBES2-HS256+A128KW", salt, 1000, c.cek))),
        custodyKey(),
        "unsupported",
        "manifest",
        n,
        List.of());
    invalid(
        "jwe-pbes2-p2c-oversized",
        "Recipient alg PBES2-HS512+A256KW with p2c 2147483647: billions of HMACs if an opener"
            + " ran it; it must be refused at once.",
        HandJose.flattened(
            c,
            new HandJose.Entry(
                "{\"alg\":\"PBES2-HS512+A256KW\",\"kid\":"
                    + quote(CUSTODY_KID)
                    + ",\"p2s\":\""
                    + b64(salt)
                    + "\",\"p2c\":2147483647}",
                random(40))),
        custodyKey(),
        "unsupported",
        "manifest",
        n,
        List.of());
    // An ephemeral key whose y is not on P-256 (invalid-curve attack on the recipient's key).
    ECKey eph = new ECKeyGenerator(Curve.P_256).generate();
    BigInteger y = eph.toECPublicKey().getW().getAffineY().add(BigInteger.ONE);
    String offCurve =
        "{\"alg\":\"ECDH-ES+A256KW\",\"kid\":"
            + quote(EC_KID)
            + ",\"epk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\""
            + eph.getX()
            + "\",\"y\":\""
            + b64(unsigned32(y))
            + "\"}}";
    invalid(
        "jwe-epk-off-curve",
        "ECDH-ES+A256KW entry whose epk (x, y+1) is not a point of P-256.",
        HandJose.flattened(c, new HandJose.Entry(offCurve, random(40))),
        ecKey(),
        "malformed",
        "manifest",
        n,
        List.of());
    invalid(
        "jwe-recipient-header-nested-10000",
        "The per-recipient header holds an array nested 10,000 deep: the JWE JSON nests too deep.",
        HandJose.flattened(
            c,
            new HandJose.Entry(
                "{\"alg\":\"RSA-OAEP-256\",\"kid\":"
                    + quote(RSA_KID)
                    + ",\"x\":"
                    + HandJose.nested(10_000)
                    + "}",
                HandJose.rsaOaep256(rsa.toPublicKey(), c.cek))),
        rsaKey(),
        "malformed",
        "manifest",
        n,
        List.of());
  }

  private String rsaJwe(String protectedJson, byte[] plaintext, String entryHeader, int cekBytes)
      throws Exception {
    HandJose.Content c = HandJose.encryptContent(protectedJson, plaintext, cekBytes);
    return HandJose.flattened(
        c, new HandJose.Entry(entryHeader, HandJose.rsaOaep256(rsa.toPublicKey(), c.cek)));
  }

  // ---------------------------------------------------------------- vector files

  private void valid(
      String id, String comment, String jwe, Map<String, Object> key, Sealed s, List<String> atts)
      throws Exception {
    Map<String, Object> v = head(id, comment, "valid");
    v.put("jwe", jwe);
    v.put("attachments", attachments(s, atts));
    v.put("keys", keys(key));
    v.put("expected", expected(s));
    v.put("intermediate", intermediate(jwe, key));
    write(v);
  }

  private void invalid(
      String id,
      String comment,
      String jwe,
      Map<String, Object> key,
      String error,
      String stage,
      Sealed s,
      List<String> atts)
      throws IOException {
    Map<String, Object> v = head(id, comment, "invalid");
    v.put("error", error);
    v.put("stage", stage);
    v.put("jwe", jwe);
    v.put("attachments", attachments(s, atts));
    v.put("keys", keys(key));
    write(v);
  }

  private void streamInvalid(
      String id,
      String comment,
      String jwe,
      Sealed s,
      String attachmentId,
      byte[] object,
      String error)
      throws IOException {
    Map<String, Object> v = head(id, comment, "invalid");
    v.put("error", error);
    v.put("stage", "attachment");
    v.put("jwe", jwe);
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("id", attachmentId);
    a.put("ciphertext", b64(object));
    v.put("attachments", List.of(a));
    v.put("keys", keys(custodyKey()));
    write(v);
  }

  private static Map<String, Object> head(String id, String comment, String result) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", id);
    v.put("comment", comment);
    v.put("result", result);
    return v;
  }

  private static List<Object> attachments(Sealed s, List<String> ids) {
    List<Object> list = new ArrayList<>();
    for (String id : ids) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("id", id);
      a.put("ciphertext", b64(s.ciphertexts.get(id)));
      list.add(a);
    }
    return list;
  }

  private Map<String, Object> keys(Map<String, Object> recipient) {
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("recipient", recipient);
    k.put("trustedKeys", new JWKSet(signer.toPublicJWK()).toJSONObject());
    return k;
  }

  private Map<String, Object> expected(Sealed s) throws IOException {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("signerKid", SIGNER_KID);
    e.put("envelopeId", s.envelope.envelopeId());
    e.put("tenant", TENANT);
    e.put("created", CREATED.toString());
    e.put("expires", EXPIRES.toString());
    e.put("subject", s.envelope.manifest().subject());
    e.put("message", s.envelope.manifest().message());
    List<Object> atts = new ArrayList<>();
    for (String id : s.ids) {
      Plain p = s.plaintexts.get(id);
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("id", id);
      a.put("name", p.name);
      a.put("mediaType", p.mediaType);
      a.put("size", p.bytes.length);
      a.put("sha256", b64(sha256(p.bytes)));
      if (p.bytes.length <= 4096) {
        a.put("plaintext", b64(p.bytes));
      }
      atts.add(a);
    }
    e.put("attachments", atts);
    return e;
  }

  /**
   * The values an implementer in another language wants to compare step by step, computed with
   * jose4j (not the SDK): the decoded headers, the CEK, the JWS and the manifest JSON.
   */
  @SuppressWarnings("unchecked")
  private Map<String, Object> intermediate(String jwe, Map<String, Object> key) throws Exception {
    Map<String, Object> doc = JSONObjectUtils.parse(jwe);
    String kid;
    java.security.Key jcaKey;
    switch ((String) key.get("kind")) {
      case "jwk":
        kid = (String) ((Map<String, Object>) key.get("jwk")).get("kid");
        jcaKey =
            ((com.nimbusds.jose.jwk.AsymmetricJWK) JWK.parse((Map<String, Object>) key.get("jwk")))
                .toPrivateKey();
        break;
      case "link":
        kid = (String) key.get("recipientId");
        jcaKey =
            HandJose.aesKey(unb64((String) ((Map<String, Object>) key.get("expected")).get("kek")));
        break;
      default:
        kid = (String) key.get("keyId");
        jcaKey = HandJose.aesKey(unb64((String) key.get("key")));
    }
    byte[][] cekAndPlaintext = Jose4jOpener.decryptDetailed(jwe, kid, jcaKey);
    String jws = new String(cekAndPlaintext[1], StandardCharsets.US_ASCII);
    String[] parts = jws.split("\\.");
    Map<String, Object> i = new LinkedHashMap<>();
    i.put(
        "jweProtectedHeader",
        new String(unb64((String) doc.get("protected")), StandardCharsets.UTF_8));
    i.put("cek", b64(cekAndPlaintext[0]));
    i.put("jws", jws);
    i.put("jwsHeader", new String(unb64(parts[0]), StandardCharsets.UTF_8));
    i.put("manifest", new String(unb64(parts[1]), StandardCharsets.UTF_8));
    return i;
  }

  private void write(Map<String, Object> vector) throws IOException {
    Path file = out.resolve(vector.get("id") + ".json");
    if (Files.exists(file)) {
      throw new IllegalStateException("duplicate vector id " + vector.get("id"));
    }
    Files.writeString(file, PrettyJson.write(vector));
    written++;
  }

  // ---------------------------------------------------------------- keys as vector inputs

  private Map<String, Object> rsaKey() {
    return jwkKey(rsa);
  }

  private Map<String, Object> ecKey() {
    return jwkKey(ec);
  }

  private static Map<String, Object> jwkKey(JWK privateJwk) {
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("kind", "jwk");
    k.put("jwk", privateJwk.toJSONObject());
    return k;
  }

  private Map<String, Object> linkKey(String envelopeId) {
    return linkKey(envelopeId, linkSecret, serverShare);
  }

  private Map<String, Object> linkKey(
      String envelopeId, LinkSecret linkSecret, byte[] serverShare) {
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("kind", "link");
    k.put("recipientId", linkRecipientId);
    k.put("envelopeId", envelopeId);
    k.put("linkSecret", linkSecret.toBase64Url());
    k.put("serverShare", b64(serverShare));
    Map<String, Object> expected = new LinkedHashMap<>();
    // Derived here with a separate HKDF, so the vector checks the SDK's derivation too.
    byte[] secret = unb64(linkSecret.toBase64Url());
    byte[] linkShare = hkdf(secret, new byte[0], "sealpost link share v1");
    expected.put("token", b64(hkdf(secret, new byte[0], "sealpost link token v1")));
    expected.put("linkShare", b64(linkShare));
    expected.put("kek", b64(hkdfKek(serverShare, linkShare, envelopeId)));
    k.put("expected", expected);
    return k;
  }

  private Map<String, Object> custodyKey() {
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("kind", "custody");
    k.put("keyVersion", CUSTODY_VERSION);
    k.put("keyId", CUSTODY_KID);
    k.put("key", b64(custodyKey));
    return k;
  }

  // ---------------------------------------------------------------- small helpers

  /** HKDF-SHA256 written out here (RFC 5869), independent of the SDK's own. */
  static byte[] hkdf(byte[] ikm, byte[] salt, String info) {
    try {
      return hkdfOrThrow(ikm, salt, info);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hkdfOrThrow(byte[] ikm, byte[] salt, String info)
      throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
    byte[] prk = mac.doFinal(ikm);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    mac.update(info.getBytes(StandardCharsets.US_ASCII));
    mac.update((byte) 1);
    return mac.doFinal(); // L = 32 = one block
  }

  static byte[] hkdfKek(byte[] serverShare, byte[] linkShare, String envelopeId) {
    return hkdf(
        concat(serverShare, linkShare),
        envelopeId.getBytes(StandardCharsets.UTF_8),
        "sealpost link kek v1");
  }

  static byte[] aad(int chunkSize, String envelopeId, String attachmentId) {
    byte[] e = envelopeId.getBytes(StandardCharsets.UTF_8);
    byte[] a = attachmentId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + 2 + e.length + 2 + a.length)
        .put("SPA1".getBytes(StandardCharsets.US_ASCII))
        .putInt(chunkSize)
        .putShort((short) e.length)
        .put(e)
        .putShort((short) a.length)
        .put(a)
        .array();
  }

  static byte[] nonce(byte[] prefix, int counter, boolean last) {
    return ByteBuffer.allocate(12).put(prefix).putInt(counter).put((byte) (last ? 1 : 0)).array();
  }

  static byte[] gcm(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext)
      throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    c.updateAAD(aad);
    return c.doFinal(plaintext);
  }

  /** PBES2 key wrap (RFC 7518 section 4.8), for a vector that must be refused. */
  static byte[] pbes2Wrap(byte[] password, String alg, byte[] p2s, int p2c, byte[] cek)
      throws GeneralSecurityException {
    byte[] salt = concat(concat(alg.getBytes(StandardCharsets.UTF_8), new byte[1]), p2s);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(password, "HmacSHA256"));
    // PBKDF2 with one block of output (16 bytes needed for A128KW).
    mac.update(salt);
    mac.update(new byte[] {0, 0, 0, 1});
    byte[] u = mac.doFinal();
    byte[] t = u.clone();
    for (int i = 1; i < p2c; i++) {
      u = mac.doFinal(u);
      for (int j = 0; j < t.length; j++) {
        t[j] ^= u[j];
      }
    }
    return HandJose.aesKeyWrap(Arrays.copyOf(t, 16), cek);
  }

  private static Map<String, Object> manifestOf(String jwe, String kid, java.security.Key key)
      throws Exception {
    return JSONObjectUtils.parse(payloadOf(Jose4jOpener.decrypt(jwe, kid, key)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> attachmentEntry(Map<String, Object> manifest, String id) {
    for (Object o : (List<Object>) manifest.get("attachments")) {
      Map<String, Object> a = (Map<String, Object>) o;
      if (id.equals(a.get("id"))) {
        return a;
      }
    }
    throw new IllegalStateException("no attachment " + id);
  }

  private static String payloadOf(String compactJws) {
    return new String(unb64(compactJws.split("\\.")[1]), StandardCharsets.UTF_8);
  }

  private static String withMember(String json, String member, String value) throws Exception {
    Map<String, Object> o = JSONObjectUtils.parse(json);
    o.put(member, value);
    return JSONObjectUtils.toJSONString(o);
  }

  private static String flipMember(String json, String member, int byteIndex) throws Exception {
    Map<String, Object> o = JSONObjectUtils.parse(json);
    byte[] b = unb64((String) o.get(member));
    b[byteIndex] ^= 0x01;
    o.put(member, b64(b));
    return JSONObjectUtils.toJSONString(o);
  }

  private static String flattenedWithHeader(String flattened, String headerJson) throws Exception {
    Map<String, Object> o = JSONObjectUtils.parse(flattened);
    o.put("header", JSONObjectUtils.parse(headerJson));
    return JSONObjectUtils.toJSONString(o);
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  static byte[] unsigned32(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] r = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, r, 32 - n, n);
    return r;
  }

  /** Readable text of {@code n} bytes. */
  static byte[] text(int n) {
    byte[] line =
        "Sealpost test vector text, line after line.\n".getBytes(StandardCharsets.US_ASCII);
    byte[] r = new byte[n];
    for (int i = 0; i < n; i++) {
      r[i] = line[i % line.length];
    }
    return r;
  }

  /** Fixed pseudo-random bytes (a simple LCG: reproducible, no meaning). */
  static byte[] bytes(int n) {
    byte[] r = new byte[n];
    long x = 0x5EA1_0057L;
    for (int i = 0; i < n; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      r[i] = (byte) (x >>> 56);
    }
    return r;
  }
}
