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
 * <p>Operations: GenerateDataKey, Decrypt, Sign, GetPublicKey, DescribeKey, CreateKey
 * (ECC_NIST_P256 SIGN_VERIFY, with Tags), CreateAlias (AlreadyExistsException when taken),
 * UpdateAlias, ListAliases, TagResource, ListResourceTags, ScheduleKeyDeletion (the key is then
 * PendingDeletion: KMSInvalidStateException on use). Key ids may be ARNs, key ids or alias names.
 * Failures can be injected: a key disabled or denied, and the next n requests throttled.
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
  private final Map<String, String> pendingDeletion = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> tags = new ConcurrentHashMap<>();
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

  /** The key an alias ({@code alias/...}) points at, or null. */
  public String aliasTarget(String alias) {
    return aliases.get(alias);
  }

  /** The tags of a key (empty if none). */
  public Map<String, String> tags(String arn) {
    return Map.copyOf(tags.getOrDefault(arn, Map.of()));
  }

  /** Keys scheduled for deletion. */
  public java.util.Set<String> pendingDeletion() {
    return java.util.Set.copyOf(pendingDeletion.keySet());
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
            case "TrentService.DescribeKey" -> describeKey(req);
            case "TrentService.CreateKey" -> createKey(req);
            case "TrentService.CreateAlias" -> createAlias(req);
            case "TrentService.UpdateAlias" -> updateAlias(req);
            case "TrentService.ListAliases" -> listAliases(req);
            case "TrentService.TagResource" -> tagResource(req);
            case "TrentService.ListResourceTags" -> listResourceTags(req);
            case "TrentService.ScheduleKeyDeletion" -> scheduleKeyDeletion(req);
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
    if (pendingDeletion.containsKey(arn)) {
      throw new KmsError("KMSInvalidStateException", arn + " is pending deletion.");
    }
    return arn;
  }

  /** Any key, symmetric or signing; pending deletion allowed (DescribeKey, ScheduleKeyDeletion). */
  private String resolveAny(Object keyId) {
    Map<String, Object> all = new java.util.HashMap<>(symmetric);
    all.putAll(signing);
    if (keyId instanceof String id && pendingDeletion.containsKey(aliases.getOrDefault(id, id))) {
      return aliases.getOrDefault(id, id);
    }
    return resolve(keyId, all);
  }

  private Map<String, Object> describeKey(Map<String, Object> req) {
    String arn = resolveAny(req.get("KeyId"));
    boolean sign = signing.containsKey(arn);
    String state =
        pendingDeletion.containsKey(arn)
            ? "PendingDeletion"
            : disabled.containsKey(arn) ? "Disabled" : "Enabled";
    return Map.of("KeyMetadata", metadata(arn, sign, state));
  }

  private static Map<String, Object> metadata(String arn, boolean sign, String state) {
    return Map.of(
        "Arn",
        arn,
        "KeyId",
        arn.substring(arn.indexOf(":key/") + 5),
        "AWSAccountId",
        ACCOUNT,
        "Enabled",
        state.equals("Enabled"),
        "KeyState",
        state,
        "KeySpec",
        sign ? "ECC_NIST_P256" : "SYMMETRIC_DEFAULT",
        "KeyUsage",
        sign ? "SIGN_VERIFY" : "ENCRYPT_DECRYPT",
        "KeyManager",
        "CUSTOMER",
        "Origin",
        "AWS_KMS");
  }

  /** Only what Sealpost creates: ECC_NIST_P256 SIGN_VERIFY keys, with their tags. */
  private Map<String, Object> createKey(Map<String, Object> req) {
    if (!"ECC_NIST_P256".equals(req.get("KeySpec")) || !"SIGN_VERIFY".equals(req.get("KeyUsage"))) {
      throw new KmsError("UnsupportedOperationException", "this endpoint creates P-256 keys only");
    }
    String arn = createSigningKey(null);
    tag(arn, req.get("Tags"));
    return Map.of("KeyMetadata", metadata(arn, true, "Enabled"));
  }

  @SuppressWarnings("unchecked")
  private void tag(String arn, Object list) {
    if (list instanceof List<?> l) {
      for (Object o : l) {
        Map<String, Object> t = (Map<String, Object>) o;
        tags.computeIfAbsent(arn, a -> new ConcurrentHashMap<>())
            .put((String) t.get("TagKey"), (String) t.get("TagValue"));
      }
    }
  }

  private static String aliasName(Map<String, Object> req) {
    if (!(req.get("AliasName") instanceof String name)
        || !name.startsWith("alias/")
        || name.startsWith("alias/aws/")) {
      throw new KmsError("ValidationException", "AliasName must start with alias/");
    }
    return name;
  }

  /** Atomic: of two CreateAlias calls for one name, exactly one succeeds. */
  private Map<String, Object> createAlias(Map<String, Object> req) {
    String name = aliasName(req);
    String arn = resolve(req.get("TargetKeyId"), signingOrSymmetric(req.get("TargetKeyId")));
    if (aliases.putIfAbsent(name, arn) != null) {
      throw new KmsError("AlreadyExistsException", "An alias with the name " + name + " exists");
    }
    return Map.of();
  }

  private Map<String, Object> updateAlias(Map<String, Object> req) {
    String name = aliasName(req);
    String arn = resolve(req.get("TargetKeyId"), signingOrSymmetric(req.get("TargetKeyId")));
    if (aliases.computeIfPresent(name, (n, old) -> arn) == null) {
      throw new KmsError("NotFoundException", "Alias " + name + " does not exist");
    }
    return Map.of();
  }

  private Map<String, ?> signingOrSymmetric(Object keyId) {
    String arn = keyId instanceof String id ? aliases.getOrDefault(id, id) : "";
    return symmetric.containsKey(arn) ? symmetric : signing;
  }

  private Map<String, Object> listAliases(Map<String, Object> req) {
    String only = req.get("KeyId") == null ? null : resolveAny(req.get("KeyId"));
    List<Object> out = new ArrayList<>();
    new TreeMap<>(aliases)
        .forEach(
            (name, arn) -> {
              if (only == null || only.equals(arn)) {
                out.add(
                    Map.of(
                        "AliasName",
                        name,
                        "AliasArn",
                        "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":" + name,
                        "TargetKeyId",
                        arn.substring(arn.indexOf(":key/") + 5)));
              }
            });
    return Map.of("Aliases", out, "Truncated", false);
  }

  private Map<String, Object> tagResource(Map<String, Object> req) {
    tag(resolveAny(req.get("KeyId")), req.get("Tags"));
    return Map.of();
  }

  private Map<String, Object> listResourceTags(Map<String, Object> req) {
    List<Object> out = new ArrayList<>();
    tags.getOrDefault(resolveAny(req.get("KeyId")), Map.of())
        .forEach((k, v) -> out.add(Map.of("TagKey", k, "TagValue", v)));
    return Map.of("Tags", out, "Truncated", false);
  }

  private Map<String, Object> scheduleKeyDeletion(Map<String, Object> req) {
    String arn = resolveAny(req.get("KeyId"));
    Object days = req.getOrDefault("PendingWindowInDays", 30);
    int window = ((Number) days).intValue();
    if (window < 7 || window > 30) {
      throw new KmsError("ValidationException", "PendingWindowInDays must be 7 to 30");
    }
    pendingDeletion.put(arn, arn);
    return Map.of(
        "KeyId",
        arn,
        "KeyState",
        "PendingDeletion",
        "PendingWindowInDays",
        window,
        "DeletionDate",
        System.currentTimeMillis() / 1000.0 + window * 86400.0);
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
