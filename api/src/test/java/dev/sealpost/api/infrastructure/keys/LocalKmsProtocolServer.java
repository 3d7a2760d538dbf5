package dev.sealpost.api.infrastructure.keys;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local endpoint that speaks AWS KMS's wire protocol (AWS JSON 1.1: {@code POST /} with {@code
 * X-Amz-Target: TrentService.<Operation>}, JSON bodies with base64 blobs, errors as {@code
 * {"__type": "...Exception", "message": ...}} with status 400), for tests only.
 *
 * <p>Why it exists: no KMS emulator runs here, and a mocked client would prove nothing about
 * request shapes, SigV4 signing, encryption context handling, DER signatures or error mapping. So
 * the tests run the real AWS SDK {@code KmsClient} against this server, which does real
 * cryptography: AES-256-GCM data key wrapping whose ciphertext blob binds the encryption context as
 * associated data (as KMS does), and ECDSA P-256 signatures in DER form (as KMS returns them).
 *
 * <p>Operations: GenerateDataKey, Decrypt, Sign, GetPublicKey. Failures can be injected: a key
 * disabled or denied, and the next n requests throttled.
 */
public final class LocalKmsProtocolServer implements AutoCloseable {
  public static final String REGION = "us-east-1";
  public static final String ACCOUNT = "111122223333";

  private final HttpServer http;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, byte[]> symmetric = new ConcurrentHashMap<>();
  private final Map<String, KeyPair> signing = new ConcurrentHashMap<>();
  private final Map<String, String> aliases = new ConcurrentHashMap<>();
  private final Map<String, String> disabled = new ConcurrentHashMap<>();
  private final Map<String, String> denied = new ConcurrentHashMap<>();
  private final AtomicInteger throttleNext = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> operations = java.util.Collections.synchronizedList(new ArrayList<>());

  private LocalKmsProtocolServer() throws IOException {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", this::handle);
    http.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
  }

  public static LocalKmsProtocolServer start() throws IOException {
    LocalKmsProtocolServer s = new LocalKmsProtocolServer();
    s.http.start();
    return s;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
  }

  /** Creates a symmetric key; returns its ARN. {@code alias} (without "alias/") may be null. */
  public String createSymmetricKey(String alias) {
    String arn = arn();
    byte[] k = new byte[32];
    random.nextBytes(k);
    symmetric.put(arn, k);
    if (alias != null) {
      aliases.put("alias/" + alias, arn);
    }
    return arn;
  }

  /** Creates an ECC_NIST_P256 SIGN_VERIFY key; returns its ARN. */
  public String createSigningKey(String alias) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      String arn = arn();
      signing.put(arn, g.generateKeyPair());
      if (alias != null) {
        aliases.put("alias/" + alias, arn);
      }
      return arn;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public void disable(String arn) {
    disabled.put(arn, arn);
  }

  public void enable(String arn) {
    disabled.remove(arn);
  }

  public void deny(String arn) {
    denied.put(arn, arn);
  }

  public void allow(String arn) {
    denied.remove(arn);
  }

  /** The next {@code n} requests answer ThrottlingException. */
  public void throttleNext(int n) {
    throttleNext.set(n);
  }

  public int requestCount() {
    return requests.get();
  }

  /** Operations received, in order (e.g. "Sign"), throttled ones included. */
  public List<String> operations() {
    synchronized (operations) {
      return List.copyOf(operations);
    }
  }

  private String arn() {
    return "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + java.util.UUID.randomUUID();
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      handleOpen(ex);
    } finally {
      ex.close();
    }
  }

  private void handleOpen(HttpExchange ex) throws IOException {
    try {
      requests.incrementAndGet();
      String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      byte[] body = ex.getRequestBody().readAllBytes();
      if (!"POST".equals(ex.getRequestMethod()) || target == null) {
        error(ex, "UnknownOperationException", "expected POST / with X-Amz-Target");
        return;
      }
      String op = target.substring(target.indexOf('.') + 1);
      operations.add(op);
      if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 Credential=")) {
        error(ex, "MissingAuthenticationTokenException", "request is not SigV4-signed");
        return;
      }
      if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        error(ex, "ThrottlingException", "Rate exceeded");
        return;
      }
      Map<String, Object> req = JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
      Map<String, Object> answer =
          switch (target) {
            case "TrentService.GenerateDataKey" -> generateDataKey(req);
            case "TrentService.Decrypt" -> decrypt(req);
            case "TrentService.Sign" -> sign(req);
            case "TrentService.GetPublicKey" -> getPublicKey(req);
            default -> throw new KmsError("UnsupportedOperationException", target);
          };
      send(ex, 200, JSONObjectUtils.toJSONString(answer));
    } catch (KmsError e) {
      error(ex, e.type, e.getMessage());
    } catch (Exception e) {
      send(ex, 500, "{\"__type\":\"KMSInternalException\",\"message\":\"" + e + "\"}");
    }
  }

  private static final class KmsError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String type;

    KmsError(String type, String message) {
      super(message);
      this.type = type;
    }
  }

  private String resolve(Object keyId, Map<String, ?> keys) {
    if (!(keyId instanceof String id)) {
      throw new KmsError("ValidationException", "KeyId is required");
    }
    String arn = aliases.getOrDefault(id, id);
    if (!keys.containsKey(arn)) {
      for (String k : keys.keySet()) {
        if (k.endsWith(":key/" + id)) {
          arn = k;
        }
      }
    }
    if (denied.containsKey(arn)) {
      throw new KmsError(
          "AccessDeniedException", "User is not authorized to perform this operation on " + arn);
    }
    if (!keys.containsKey(arn)) {
      throw new KmsError("NotFoundException", "Key '" + id + "' does not exist");
    }
    if (disabled.containsKey(arn)) {
      throw new KmsError("DisabledException", arn + " is disabled.");
    }
    return arn;
  }

  /** Canonical encryption context: sorted key=value pairs, length-prefixed. */
  @SuppressWarnings("unchecked")
  private static byte[] contextAad(Object ctx) {
    TreeMap<String, String> sorted = new TreeMap<>();
    if (ctx instanceof Map<?, ?> m) {
      ((Map<String, Object>) m).forEach((k, v) -> sorted.put(k, String.valueOf(v)));
    }
    StringBuilder sb = new StringBuilder();
    sorted.forEach(
        (k, v) ->
            sb.append(k.length()).append(':').append(k).append(v.length()).append(':').append(v));
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private Map<String, Object> generateDataKey(Map<String, Object> req) throws Exception {
    String arn = resolve(req.get("KeyId"), symmetric);
    if (!"AES_256".equals(req.get("KeySpec"))) {
      throw new KmsError("ValidationException", "KeySpec must be AES_256 here");
    }
    byte[] plain = new byte[32];
    random.nextBytes(plain);
    byte[] blob = encrypt(arn, plain, contextAad(req.get("EncryptionContext")));
    return Map.of(
        "KeyId", arn,
        "Plaintext", Base64.getEncoder().encodeToString(plain),
        "CiphertextBlob", Base64.getEncoder().encodeToString(blob));
  }

  /** blob = u16 len || arn || nonce (12) || AES-GCM(ciphertext || tag), AAD = context. */
  private byte[] encrypt(String arn, byte[] plain, byte[] aad) throws GeneralSecurityException {
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(symmetric.get(arn), "AES"),
        new GCMParameterSpec(128, nonce));
    c.updateAAD(aad);
    byte[] ct = c.doFinal(plain);
    byte[] id = arn.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + id.length + 12 + ct.length)
        .putShort((short) id.length)
        .put(id)
        .put(nonce)
        .put(ct)
        .array();
  }

  private Map<String, Object> decrypt(Map<String, Object> req) throws Exception {
    byte[] blob = Base64.getDecoder().decode((String) req.get("CiphertextBlob"));
    ByteBuffer b = ByteBuffer.wrap(blob);
    String arn;
    byte[] nonce = new byte[12];
    byte[] ct;
    try {
      byte[] id = new byte[b.getShort()];
      b.get(id);
      arn = new String(id, StandardCharsets.UTF_8);
      b.get(nonce);
      ct = new byte[b.remaining()];
      b.get(ct);
    } catch (RuntimeException e) {
      throw new KmsError("InvalidCiphertextException", "");
    }
    if (req.get("KeyId") != null && !resolve(req.get("KeyId"), symmetric).equals(arn)) {
      throw new KmsError("IncorrectKeyException", "ciphertext was not made under that key");
    }
    resolve(arn, symmetric);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(symmetric.get(arn), "AES"),
          new GCMParameterSpec(128, nonce));
      c.updateAAD(contextAad(req.get("EncryptionContext")));
      byte[] plain = c.doFinal(ct);
      return Map.of(
          "KeyId",
          arn,
          "Plaintext",
          Base64.getEncoder().encodeToString(plain),
          "EncryptionAlgorithm",
          "SYMMETRIC_DEFAULT");
    } catch (javax.crypto.AEADBadTagException e) {
      throw new KmsError("InvalidCiphertextException", "");
    }
  }

  private Map<String, Object> sign(Map<String, Object> req) throws Exception {
    String arn = resolve(req.get("KeyId"), signing);
    if (!"ECDSA_SHA_256".equals(req.get("SigningAlgorithm"))) {
      throw new KmsError("InvalidKeyUsageException", "unsupported signing algorithm");
    }
    byte[] message = Base64.getDecoder().decode((String) req.get("Message"));
    String type = (String) req.getOrDefault("MessageType", "RAW");
    Signature s;
    if ("DIGEST".equals(type)) {
      if (message.length != 32) {
        throw new KmsError("ValidationException", "a DIGEST message must be 32 bytes");
      }
      s = Signature.getInstance("NONEwithECDSA"); // signs the given digest, DER output
    } else {
      s = Signature.getInstance("SHA256withECDSA");
    }
    s.initSign(signing.get(arn).getPrivate(), random);
    s.update(message);
    return Map.of(
        "KeyId",
        arn,
        "Signature",
        Base64.getEncoder().encodeToString(s.sign()),
        "SigningAlgorithm",
        "ECDSA_SHA_256");
  }

  private Map<String, Object> getPublicKey(Map<String, Object> req) {
    String arn = resolve(req.get("KeyId"), signing);
    return Map.of(
        "KeyId",
        arn,
        "PublicKey",
        Base64.getEncoder().encodeToString(signing.get(arn).getPublic().getEncoded()),
        "KeySpec",
        "ECC_NIST_P256",
        "KeyUsage",
        "SIGN_VERIFY",
        "SigningAlgorithms",
        List.of("ECDSA_SHA_256"));
  }

  private static void error(HttpExchange ex, String type, String message) throws IOException {
    send(
        ex,
        400,
        JSONObjectUtils.toJSONString(
            Map.of("__type", type, "message", message == null ? "" : message)));
  }

  private static void send(HttpExchange ex, int status, String json) throws IOException {
    byte[] out = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    ex.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    ex.sendResponseHeaders(status, out.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(out);
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
