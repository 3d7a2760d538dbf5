package dev.sealpost.api.it;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.jose4j.jca.ProviderContext;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jwe.ContentEncryptionAlgorithm;
import org.jose4j.jwe.ContentEncryptionParts;
import org.jose4j.jwe.KeyManagementAlgorithm;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.Headers;

/**
 * A consumer client written from DESIGN.md "Wire details" and docs/FORMAT.md alone: no {@code
 * dev.sealpost} class anywhere in this file (the imports above are the whole story). HKDF is
 * BouncyCastle's, JOSE is jose4j, the attachment STREAM is plain JCE AES/GCM, JSON is jose4j's
 * parser, HTTP is the JDK's client. If the server and the contract disagree, this client fails.
 */
@SuppressWarnings("unchecked")
final class IndependentWireClient {
  private static final Pattern LINK =
      Pattern.compile("(https?://[^\\s\"<>]+?)/v/([^/\\s\"<>#]+)/([^/\\s\"<>#]+)#([A-Za-z0-9_-]+)");
  private static final Base64.Decoder B64 = Base64.getUrlDecoder();
  private static final Base64.Encoder B64E = Base64.getUrlEncoder().withoutPadding();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final URI server;

  /** {@code server}: where to send the API calls (the link's own host may not be reachable). */
  IndependentWireClient(URI server) {
    this.server = server;
  }

  /** {publicBaseUrl}/v/{envelopeId}/{recipientId}#{linkSecret}. */
  record Link(String envelopeId, String recipientId, byte[] linkSecret) {}

  /** What the client ends with. */
  record Opened(
      Map<String, Object> manifest,
      String signerKid,
      Map<String, byte[]> attachments,
      String accessToken) {}

  static Link parseLink(String text) {
    Matcher m = LINK.matcher(text);
    if (!m.find()) {
      throw new AssertionError("no consumer link in the text");
    }
    String secret = m.group(4);
    if (secret.length() != 43) {
      throw new AssertionError("the link secret is not 32 bytes base64url without padding");
    }
    byte[] raw = B64.decode(secret);
    if (!B64E.encodeToString(raw).equals(secret) || raw.length != 32) {
      throw new AssertionError("the link secret is not canonical base64url");
    }
    return new Link(m.group(2), m.group(3), raw);
  }

  /** HKDF-SHA256 (RFC 5869) by BouncyCastle. */
  static byte[] hkdf(byte[] ikm, byte[] salt, String info) {
    HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
    g.init(new HKDFParameters(ikm, salt, info.getBytes(StandardCharsets.UTF_8)));
    byte[] out = new byte[32];
    g.generateBytes(out, 0, out.length);
    return out;
  }

  static byte[] token(Link l) {
    return hkdf(l.linkSecret(), new byte[0], "sealpost link token v1");
  }

  static byte[] linkShare(Link l) {
    return hkdf(l.linkSecret(), new byte[0], "sealpost link share v1");
  }

  static byte[] kek(byte[] serverShare, byte[] linkShare, String envelopeId) {
    byte[] ikm = new byte[serverShare.length + linkShare.length];
    System.arraycopy(serverShare, 0, ikm, 0, serverShare.length);
    System.arraycopy(linkShare, 0, ikm, serverShare.length, linkShare.length);
    return hkdf(ikm, envelopeId.getBytes(StandardCharsets.UTF_8), "sealpost link kek v1");
  }

  HttpResponse<String> challenge(Link l) {
    return post(
        "/v1/open/" + l.envelopeId() + "/" + l.recipientId() + "/challenge",
        Map.of("token", B64E.encodeToString(token(l))));
  }

  HttpResponse<String> verify(Link l, String field, String answer) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token", B64E.encodeToString(token(l)));
    body.put(field, answer);
    return post("/v1/open/" + l.envelopeId() + "/" + l.recipientId() + "/verify", body);
  }

  /** After a 200 from verify: manifest, signature, every attachment. */
  Opened open(Link l, HttpResponse<String> verified) throws Exception {
    Map<String, Object> v = json(verified.body());
    String accessToken = (String) v.get("accessToken");
    byte[] serverShare = B64.decode((String) v.get("serverShare"));
    if (!(v.get("expiresIn") instanceof Number) || serverShare.length != 32) {
      throw new AssertionError("verify answer does not match the wire details: " + v.keySet());
    }
    byte[] kek = kek(serverShare, linkShare(l), l.envelopeId());

    HttpResponse<String> jweResponse = get("/v1/open/" + l.envelopeId() + "/manifest", accessToken);
    expect200(jweResponse);
    String compactJws = decryptFlattened(jweResponse.body(), new SecretKeySpec(kek, "AES"));

    String[] parts = compactJws.split("\\.");
    if (parts.length != 3) {
      throw new AssertionError("the JWE plaintext is not a compact JWS");
    }
    Map<String, Object> jwsHeader = json(new String(B64.decode(parts[0]), StandardCharsets.UTF_8));
    String kid = (String) jwsHeader.get("kid");
    String signerJwk = null;
    HttpResponse<String> jwks = get("/.well-known/jwks.json", null);
    expect200(jwks);
    for (Object k : (List<Object>) json(jwks.body()).get("keys")) {
      if (kid.equals(((Map<String, Object>) k).get("kid"))) {
        signerJwk = JsonUtil.toJson((Map<String, Object>) k);
      }
    }
    if (signerJwk == null) {
      throw new AssertionError("signer kid " + kid + " is not in /.well-known/jwks.json");
    }
    JsonWebSignature jws = new JsonWebSignature();
    jws.setAlgorithmConstraints(
        new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "ES256"));
    jws.setCompactSerialization(compactJws);
    jws.setKey(PublicJsonWebKey.Factory.newPublicJwk(signerJwk).getPublicKey());
    if (!jws.verifySignature()) {
      throw new AssertionError("the manifest signature does not verify");
    }
    Map<String, Object> manifest = json(jws.getPayload());
    if (!l.envelopeId().equals(manifest.get("envelopeId"))) {
      throw new AssertionError("the manifest names another envelope");
    }

    Map<String, byte[]> files = new LinkedHashMap<>();
    for (Object o : (List<Object>) manifest.get("attachments")) {
      Map<String, Object> a = (Map<String, Object>) o;
      HttpRequest attachment =
          request("/v1/open/" + l.envelopeId() + "/attachments/" + a.get("id"), accessToken)
              .GET()
              .build();
      HttpResponse<byte[]> r = http.send(attachment, HttpResponse.BodyHandlers.ofByteArray());
      ContractCheck.exchangeWithoutBody(attachment, r);
      if (r.statusCode() != 200) {
        throw new AssertionError("attachment answered " + r.statusCode());
      }
      files.put((String) a.get("name"), openStream(r.body(), a, l.envelopeId()));
    }
    return new Opened(manifest, kid, files, accessToken);
  }

  /**
   * docs/FORMAT.md 6: header "SPA1" || u32(chunkSize); chunks of chunkSize (+16 tag), the last
   * shorter; nonce = prefix(7) || u32(i) || final(1); AAD = header || u16 len || envelopeId || u16
   * len || attachmentId; then the plaintext's SHA-256 must equal the manifest's.
   */
  static byte[] openStream(byte[] object, Map<String, Object> a, String envelopeId)
      throws GeneralSecurityException {
    long size = ((Number) a.get("size")).longValue();
    int chunkSize = ((Number) a.get("chunkSize")).intValue();
    byte[] key = B64.decode((String) a.get("key"));
    byte[] prefix = B64.decode((String) a.get("noncePrefix"));
    if (prefix.length != 7 || key.length != 32) {
      throw new AssertionError("key or noncePrefix has the wrong length");
    }
    ByteBuffer in = ByteBuffer.wrap(object);
    byte[] header = new byte[8];
    in.get(header);
    if (!new String(header, 0, 4, StandardCharsets.US_ASCII).equals("SPA1")
        || ByteBuffer.wrap(header, 4, 4).getInt() != chunkSize) {
      throw new AssertionError("not a SPA1 stream with the manifest's chunk size");
    }
    byte[] env = envelopeId.getBytes(StandardCharsets.UTF_8);
    byte[] att = ((String) a.get("id")).getBytes(StandardCharsets.UTF_8);
    ByteBuffer aad = ByteBuffer.allocate(8 + 2 + env.length + 2 + att.length);
    aad.put(header).putShort((short) env.length).put(env).putShort((short) att.length).put(att);
    long n = size == 0 ? 1 : (size + chunkSize - 1) / chunkSize;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long i = 0; i < n; i++) {
      boolean last = i == n - 1;
      int plainLength = last ? (int) (size - (n - 1) * chunkSize) : chunkSize;
      byte[] chunk = new byte[plainLength + 16];
      in.get(chunk);
      byte[] nonce =
          ByteBuffer.allocate(12).put(prefix).putInt((int) i).put((byte) (last ? 1 : 0)).array();
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(
          Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      gcm.updateAAD(aad.array());
      out.writeBytes(gcm.doFinal(chunk));
    }
    if (in.hasRemaining()) {
      throw new AssertionError("bytes after the final chunk");
    }
    byte[] plain = out.toByteArray();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(plain);
    if (!MessageDigest.isEqual(digest, B64.decode((String) a.get("sha256")))) {
      throw new AssertionError("the attachment's SHA-256 differs from the manifest's");
    }
    return plain;
  }

  /**
   * RFC 7516 for a flattened JSON JWE (jose4j parses only the compact form): merge protected and
   * per-recipient headers, AAD = ASCII(protected), let jose4j unwrap (A256KW) and decrypt
   * (A256GCM).
   */
  private static String decryptFlattened(String flattened, Key kek) throws Exception {
    Map<String, Object> jwe = json(flattened);
    if (jwe.containsKey("recipients")) {
      throw new AssertionError("served the general form, not this recipient's flattened entry");
    }
    String protectedB64 = (String) jwe.get("protected");
    Map<String, Object> header =
        new LinkedHashMap<>(json(new String(B64.decode(protectedB64), StandardCharsets.UTF_8)));
    header.putAll((Map<String, Object>) jwe.get("header"));
    if (!"A256KW".equals(header.get("alg")) || !"A256GCM".equals(header.get("enc"))) {
      throw new AssertionError("a link entry is A256KW + A256GCM, got " + header);
    }
    Headers headers = new Headers();
    headers.setFullHeaderAsJsonString(JsonUtil.toJson(header));
    AlgorithmFactoryFactory f = AlgorithmFactoryFactory.getInstance();
    KeyManagementAlgorithm alg = f.getJweKeyManagementAlgorithmFactory().getAlgorithm("A256KW");
    ContentEncryptionAlgorithm enc =
        f.getJweContentEncryptionAlgorithmFactory().getAlgorithm("A256GCM");
    ProviderContext context = new ProviderContext();
    Key cek =
        alg.manageForDecrypt(
            alg.prepareForDecrypt(kek, headers, context),
            B64.decode((String) jwe.get("encrypted_key")),
            enc.getContentEncryptionKeyDescriptor(),
            headers,
            context);
    byte[] plaintext =
        enc.decrypt(
            new ContentEncryptionParts(
                B64.decode((String) jwe.get("iv")),
                B64.decode((String) jwe.get("ciphertext")),
                B64.decode((String) jwe.get("tag"))),
            protectedB64.getBytes(StandardCharsets.US_ASCII),
            cek.getEncoded(),
            headers,
            context);
    return new String(plaintext, StandardCharsets.US_ASCII);
  }

  static Map<String, Object> json(String text) {
    try {
      return JsonUtil.parseJson(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON", e);
    }
  }

  HttpResponse<String> get(String path, String bearer) {
    return send(request(path, bearer).GET());
  }

  private HttpResponse<String> post(String path, Map<String, Object> body) {
    return send(
        request(path, null)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JsonUtil.toJson(body))));
  }

  private HttpRequest.Builder request(String path, String bearer) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(30));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return b;
  }

  private HttpResponse<String> send(HttpRequest.Builder b) {
    HttpRequest request = b.build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("request failed: " + e, e);
    }
    ContractCheck.exchange(request, response);
    return response;
  }

  private static void expect200(HttpResponse<String> r) {
    if (r.statusCode() != 200) {
      throw new AssertionError(r.uri().getPath() + " answered " + r.statusCode());
    }
  }
}
