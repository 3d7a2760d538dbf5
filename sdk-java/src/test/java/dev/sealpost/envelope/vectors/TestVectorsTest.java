package dev.sealpost.envelope.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.envelope.AttachmentDescriptor;
import dev.sealpost.envelope.EnvelopeOpener;
import dev.sealpost.envelope.LinkKek;
import dev.sealpost.envelope.LinkReissue;
import dev.sealpost.envelope.LinkSecret;
import dev.sealpost.envelope.Manifest;
import dev.sealpost.envelope.OpenedEnvelope;
import dev.sealpost.envelope.OpenedReply;
import dev.sealpost.envelope.RecipientKey;
import dev.sealpost.envelope.ReplyManifest;
import dev.sealpost.envelope.ReplyOpener;
import dev.sealpost.envelope.ReplyReceipt;
import dev.sealpost.envelope.TrustedKeys;
import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.NoMatchingRecipientException;
import dev.sealpost.exception.SealpostException;
import dev.sealpost.exception.UnsupportedFormatException;
import dev.sealpost.exception.UntrustedSignerException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every shared test vector in the repository's {@code testvectors/} through the SDK: valid
 * ones must open to exactly the expected manifest, signer and attachments; invalid ones must fail
 * with the named exception at the named stage. The vectors' schema is in testvectors/README.md.
 */
class TestVectorsTest {
  /** Surefire runs in the module directory; the vectors live at the repository root. */
  static final Path DIR =
      Paths.get(System.getProperty("basedir", ".")).resolve("../testvectors").normalize();

  static Stream<Arguments> vectors() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".json"))
          .sorted()
          .map(p -> Arguments.of(Named.of(p.getFileName().toString(), p)))
          .collect(Collectors.toList())
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void vector_opensOrFailsAsItsResultSays(Path file) throws Exception {
    Map<String, Object> v = JSONObjectUtils.parse(Files.readString(file));
    assertThat(file.getFileName().toString()).isEqualTo(v.get("id") + ".json");
    // A vector that makes an opener hang (a huge p2c, a deep header) fails here, not the build.
    try {
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> run(v));
    } catch (AssertionError e) {
      throw new AssertionError("vector " + v.get("id") + ": " + e.getMessage(), e);
    }
  }

  static final Path REPLY_DIR = DIR.resolve("replies");

  static Stream<Arguments> replyVectors() throws IOException {
    try (Stream<Path> files = Files.list(REPLY_DIR)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".json"))
          .sorted()
          .map(p -> Arguments.of(Named.of(p.getFileName().toString(), p)))
          .collect(Collectors.toList())
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("replyVectors")
  void replyVector_opensOrFailsAsItsResultSays(Path file) throws Exception {
    vector_opensOrFailsAsItsResultSays(file);
  }

  @Test
  void replyVectors_coverEveryRequiredCase() throws IOException {
    Set<String> replies = new HashSet<>();
    try (Stream<Path> files = Files.list(REPLY_DIR)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Map<String, Object> v = parse(p);
        assertThat(v.get("kind")).isEqualTo("reply");
        assertThat(replies.add((String) v.get("id"))).isTrue();
        if ("invalid".equals(v.get("result"))) {
          assertThat(v.get("stage")).isIn("manifest", "attachment");
        }
      }
    }
    assertThat(replies)
        .contains(
            "reply-rsa-oaep-256-attachments",
            "reply-ecdh-es-a256kw-attachments",
            "reply-general-two-keys",
            "reply-receipt-untrusted-signer",
            "reply-receipt-typ-manifest",
            "reply-receipt-alg-none",
            "reply-manifest-byte-changed",
            "reply-manifest-reply-id-differs",
            "reply-envelope-manifest-as-reply",
            "reply-jwe-a256kw-entry",
            "reply-attachment-envelope-aad",
            "reply-attachment-swapped");
  }

  @Test
  void vectors_coverEveryRequiredCase() throws IOException {
    Set<String> ids = new HashSet<>();
    List<String> kinds = new ArrayList<>();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (!p.getFileName().toString().endsWith(".json")) {
          continue;
        }
        Map<String, Object> v = parse(p);
        assertThat(ids.add((String) v.get("id"))).as("unique id %s", v.get("id")).isTrue();
        assertThat(v.get("result")).isIn("valid", "invalid");
        assertThat((String) v.get("comment")).isNotBlank();
        if ("invalid".equals(v.get("result"))) {
          assertThat(v.get("error"))
              .isIn("integrity", "untrusted-signer", "unsupported", "malformed", "no-recipient");
          assertThat(v.get("stage")).isIn("manifest", "attachment");
        } else {
          Map<String, Object> recipient = map(map(v.get("keys")).get("recipient"));
          String kind = (String) recipient.get("kind");
          if ("jwk".equals(kind)) {
            kind = (String) map(recipient.get("jwk")).get("kty");
          }
          boolean withAttachments = !list(map(v.get("expected")).get("attachments")).isEmpty();
          kinds.add(kind + (withAttachments ? "+attachments" : ""));
        }
      }
    }
    assertThat(ids).hasSizeGreaterThanOrEqualTo(15);
    assertThat(kinds)
        .contains(
            "RSA",
            "RSA+attachments",
            "EC",
            "EC+attachments",
            "link",
            "link+attachments",
            "custody",
            "custody+attachments");
    assertThat(ids)
        .contains(
            "jwe-protected-changed",
            "jwe-encrypted-key-flipped",
            "jwe-iv-flipped",
            "jwe-ciphertext-flipped",
            "jwe-tag-flipped",
            "attachment-chunk-flipped",
            "attachment-truncated-mid-chunk",
            "attachment-reordered-chunks",
            "attachment-chunk-spliced",
            "attachment-missing-final-marker",
            "wrong-key-same-kid",
            "untrusted-signer",
            "jws-alg-none",
            "jwe-zip-def",
            "jwe-alg-rsa1-5",
            "jwe-alg-pbes2-hs256-a128kw",
            "jwe-crit-unknown",
            "jwe-protected-nested-10000",
            "jwe-pbes2-p2c-oversized",
            "jwe-epk-off-curve",
            "link-reissue-rewrapped",
            "link-reissue-old-link");
  }

  @Test
  void linkDerivation_matchesTheWorkedExampleInFormatMd() {
    LinkSecret secret = LinkSecret.fromBase64Url("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");
    assertThat(HandJose.b64(secret.token()))
        .isEqualTo("L-CRjAH483KtaHwtTkfzo6CKC7JmJwS0r0H_APm-_zs");
    assertThat(HandJose.b64(secret.linkShare()))
        .isEqualTo("yTjKqnDFeBN0KbtmgCFf3g-M_WTqmdoawqKZHxBee1g");
    byte[] serverShare = HandJose.unb64("ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8");
    String envelopeId = "3f1c2a9e-8b47-4d2a-9c1e-5a6b7c8d9e0f";
    assertThat(
            HandJose.b64(TestVectorGenerator.hkdfKek(serverShare, secret.linkShare(), envelopeId)))
        .isEqualTo("Bj8_4dMgXXBZaVIN9aQUJa6_ZDK7Y75UCtLx_cxOjRw");
    // The SDK's own KEK is checked by the link vectors: it must open their A256KW entries.
  }

  @Test
  void formatMdWorkedExamples_matchTheCheckedInVector() throws Exception {
    Path doc = DIR.resolve("../docs/FORMAT.md").normalize();
    String text = Files.readString(doc);
    Map<String, Object> vector = parse(DIR.resolve(FormatDocExamples.VECTOR + ".json"));
    assertThat(text)
        .as("docs/FORMAT.md examples are stale: rerun TestVectorGenerator (testvectors/README.md)")
        .isEqualTo(FormatDocExamples.sync(text, vector));
  }

  @Test
  void streamAssociatedData_matchesTheByteLayoutInFormatMd() {
    byte[] aad =
        TestVectorGenerator.aad(
            65536, "3f1c2a9e-8b47-4d2a-9c1e-5a6b7c8d9e0f", "9b2e4f60-0d1c-4c8e-b7a2-3e5f6a7b8c9d");
    assertThat(hex(aad))
        .isEqualTo(
            "5350413100010000002433663163326139652d386234372d346432612d396331652d3561366237633864"
                + "39653066002439623265346636302d306431632d346338652d623761322d336535663661376238633964");
  }

  // ------------------------------------------------------------------ running one vector

  private static void run(Map<String, Object> v) throws Exception {
    if ("reply".equals(v.get("kind"))) {
      runReply(v);
      return;
    }
    String jwe = (String) v.get("jwe");
    Map<String, Object> keys = map(v.get("keys"));
    TrustedKeys trusted =
        TrustedKeys.fromJwksJson(JSONObjectUtils.toJSONString(map(keys.get("trustedKeys"))));
    RecipientKey key = recipientKey(map(keys.get("recipient")));
    EnvelopeOpener opener = EnvelopeOpener.builder().trust(trusted).build();
    List<Object> attachments = list(v.get("attachments"));

    if ("valid".equals(v.get("result"))) {
      OpenedEnvelope opened = opener.open(jwe, key);
      checkExpected(opened, map(v.get("expected")), attachments);
      if (v.containsKey("reissue")) {
        checkReissue(map(v.get("reissue")), map(keys.get("recipient")), jwe, opener);
      }
      return;
    }
    Class<? extends SealpostException> error = errorClass((String) v.get("error"));
    if ("manifest".equals(v.get("stage"))) {
      assertThatThrownBy(() -> opener.open(jwe, key)).isInstanceOf(error);
      return;
    }
    OpenedEnvelope opened = opener.open(jwe, key);
    assertThat(attachments).hasSize(1);
    Map<String, Object> a = map(attachments.get(0));
    byte[] object = HandJose.unb64((String) a.get("ciphertext"));
    assertThatThrownBy(() -> readAll(opened, (String) a.get("id"), object)).isInstanceOf(error);
  }

  /**
   * A reply vector (FORMAT.md section 12): the receipt, the manifest bytes and the JWE are checked
   * in the order of section 12.6 for the envelope and reply in {@code request}.
   */
  private static void runReply(Map<String, Object> v) throws Exception {
    byte[] manifest = ((String) v.get("jwe")).getBytes(StandardCharsets.UTF_8);
    String receipt = (String) v.get("receipt");
    Map<String, Object> request = map(v.get("request"));
    String envelopeId = (String) request.get("envelopeId");
    String replyId = (String) request.get("replyId");
    Map<String, Object> keys = map(v.get("keys"));
    TrustedKeys trusted =
        TrustedKeys.fromJwksJson(JSONObjectUtils.toJSONString(map(keys.get("trustedKeys"))));
    RecipientKey key = recipientKey(map(keys.get("recipient")));
    ReplyOpener opener =
        ReplyOpener.builder().trust(trusted).requireSignerOfReceiptTenant().build();
    List<Object> attachments = list(v.get("attachments"));

    if ("invalid".equals(v.get("result")) && "manifest".equals(v.get("stage"))) {
      assertThatThrownBy(() -> opener.open(receipt, manifest, key, envelopeId, replyId))
          .isInstanceOf(errorClass((String) v.get("error")));
      return;
    }
    OpenedReply opened = opener.open(receipt, manifest, key, envelopeId, replyId);
    if ("invalid".equals(v.get("result"))) {
      assertThat(attachments).hasSize(1);
      Map<String, Object> a = map(attachments.get(0));
      byte[] object = HandJose.unb64((String) a.get("ciphertext"));
      assertThatThrownBy(() -> readAll(opened, (String) a.get("id"), object))
          .isInstanceOf(errorClass((String) v.get("error")));
      return;
    }
    Map<String, Object> expected = map(v.get("expected"));
    ReplyReceipt r = opened.receipt();
    ReplyManifest m = opened.manifest();
    assertThat(r.signerKeyId()).isEqualTo(expected.get("signerKid"));
    assertThat(r.tenant()).isEqualTo(expected.get("tenant"));
    assertThat(r.received()).isEqualTo(Instant.parse((String) expected.get("received")));
    assertThat(m.envelopeId()).isEqualTo(expected.get("envelopeId"));
    assertThat(m.recipientId()).isEqualTo(expected.get("recipientId"));
    assertThat(m.replyId()).isEqualTo(expected.get("replyId"));
    assertThat(m.createdAt()).isEqualTo(Instant.parse((String) expected.get("created")));
    assertThat(m.message()).isEqualTo(expected.get("message"));
    List<Object> expectedAttachments = list(expected.get("attachments"));
    assertThat(m.attachments()).hasSameSizeAs(expectedAttachments);
    assertThat(attachments).hasSameSizeAs(expectedAttachments);
    for (int i = 0; i < expectedAttachments.size(); i++) {
      Map<String, Object> e = map(expectedAttachments.get(i));
      AttachmentDescriptor d = m.attachments().get(i);
      assertThat(d.id()).isEqualTo(e.get("id"));
      assertThat(d.name()).isEqualTo(e.get("name"));
      assertThat(d.mediaType()).isEqualTo(e.get("mediaType"));
      assertThat(d.size()).isEqualTo(((Number) e.get("size")).longValue());
      Map<String, Object> a = map(attachments.get(i));
      byte[] plaintext =
          readAll(opened, (String) a.get("id"), HandJose.unb64((String) a.get("ciphertext")));
      assertThat(HandJose.b64(TestVectorGenerator.sha256(plaintext))).isEqualTo(e.get("sha256"));
      assertThat(HandJose.b64(plaintext)).isEqualTo(e.get("plaintext"));
    }
  }

  private static byte[] readAll(OpenedReply opened, String id, byte[] object) throws IOException {
    try (InputStream in = opened.openAttachment(id, new ByteArrayInputStream(object))) {
      return in.readAllBytes();
    }
  }

  private static void checkExpected(
      OpenedEnvelope opened, Map<String, Object> expected, List<Object> attachments)
      throws IOException {
    assertThat(opened.signerKeyId()).isEqualTo(expected.get("signerKid"));
    Manifest m = opened.manifest();
    assertThat(m.envelopeId()).isEqualTo(expected.get("envelopeId"));
    assertThat(m.tenant()).isEqualTo(expected.get("tenant"));
    assertThat(m.createdAt()).isEqualTo(Instant.parse((String) expected.get("created")));
    assertThat(m.expiresAt())
        .isEqualTo(
            expected.get("expires") == null
                ? java.util.Optional.empty()
                : java.util.Optional.of(Instant.parse((String) expected.get("expires"))));
    assertThat(m.subject()).isEqualTo(expected.get("subject"));
    assertThat(m.message()).isEqualTo(expected.get("message"));

    List<Object> expectedAttachments = list(expected.get("attachments"));
    assertThat(m.attachments()).hasSameSizeAs(expectedAttachments);
    for (int i = 0; i < expectedAttachments.size(); i++) {
      Map<String, Object> e = map(expectedAttachments.get(i));
      AttachmentDescriptor d = m.attachments().get(i);
      assertThat(d.id()).isEqualTo(e.get("id"));
      assertThat(d.name()).isEqualTo(e.get("name"));
      assertThat(d.mediaType()).isEqualTo(e.get("mediaType"));
      assertThat(d.size()).isEqualTo(((Number) e.get("size")).longValue());
      assertThat(HandJose.b64(d.sha256())).isEqualTo(e.get("sha256"));
    }
    for (Object o : attachments) {
      Map<String, Object> a = map(o);
      String id = (String) a.get("id");
      Map<String, Object> e = findById(expectedAttachments, id);
      byte[] plaintext = readAll(opened, id, HandJose.unb64((String) a.get("ciphertext")));
      assertThat((long) plaintext.length).isEqualTo(((Number) e.get("size")).longValue());
      assertThat(HandJose.b64(TestVectorGenerator.sha256(plaintext))).isEqualTo(e.get("sha256"));
      if (e.containsKey("plaintext")) {
        assertThat(HandJose.b64(plaintext)).isEqualTo(e.get("plaintext"));
      }
    }
  }

  /**
   * A reissue vector: re-wrapping {@code before} for the vector's (new) link gives exactly {@code
   * jwe}, and the old link opened {@code before}.
   */
  private static void checkReissue(
      Map<String, Object> reissue, Map<String, Object> newLink, String jwe, EnvelopeOpener opener)
      throws Exception {
    String before = (String) reissue.get("before");
    Map<String, Object> custody = map(reissue.get("custody"));
    String recipientId = (String) reissue.get("recipientId");
    assertThat(newLink.get("recipientId")).isEqualTo(recipientId);
    LinkKek newKek =
        LinkKek.derive(
            HandJose.unb64((String) newLink.get("serverShare")),
            LinkSecret.fromBase64Url((String) newLink.get("linkSecret")).linkShare(),
            (String) newLink.get("envelopeId"));
    String rewrapped =
        LinkReissue.rewrap(
            before,
            (String) custody.get("keyId"),
            HandJose.unb64((String) custody.get("key")),
            recipientId,
            newKek);
    assertThat(rewrapped).isEqualTo(jwe);
    assertThat(opener.open(before, recipientKey(map(reissue.get("oldLink"))))).isNotNull();
  }

  private static byte[] readAll(OpenedEnvelope opened, String id, byte[] object)
      throws IOException {
    try (InputStream in = opened.openAttachment(id, new ByteArrayInputStream(object))) {
      return in.readAllBytes();
    }
  }

  static RecipientKey recipientKey(Map<String, Object> k) throws Exception {
    switch ((String) k.get("kind")) {
      case "jwk":
        return RecipientKey.privateJwk(JWK.parse(map(k.get("jwk"))));
      case "link":
        {
          LinkSecret secret = LinkSecret.fromBase64Url((String) k.get("linkSecret"));
          String envelopeId = (String) k.get("envelopeId");
          if (k.containsKey("expected")) {
            Map<String, Object> e = map(k.get("expected"));
            assertThat(HandJose.b64(secret.token())).isEqualTo(e.get("token"));
            assertThat(HandJose.b64(secret.linkShare())).isEqualTo(e.get("linkShare"));
          }
          LinkKek kek =
              LinkKek.derive(
                  HandJose.unb64((String) k.get("serverShare")), secret.linkShare(), envelopeId);
          return RecipientKey.link((String) k.get("recipientId"), kek);
        }
      case "custody":
        return RecipientKey.custody(
            (String) k.get("keyVersion"), HandJose.unb64((String) k.get("key")));
      default:
        throw new IllegalArgumentException("unknown key kind " + k.get("kind"));
    }
  }

  static Class<? extends SealpostException> errorClass(String error) {
    switch (error) {
      case "integrity":
        return IntegrityException.class;
      case "untrusted-signer":
        return UntrustedSignerException.class;
      case "unsupported":
        return UnsupportedFormatException.class;
      case "malformed":
        return MalformedEnvelopeException.class;
      case "no-recipient":
        return NoMatchingRecipientException.class;
      default:
        throw new IllegalArgumentException("unknown error class " + error);
    }
  }

  private static Map<String, Object> findById(List<Object> list, String id) {
    for (Object o : list) {
      if (id.equals(map(o).get("id"))) {
        return map(o);
      }
    }
    throw new AssertionError("no expected attachment " + id);
  }

  static Map<String, Object> parse(Path file) throws IOException {
    try {
      return JSONObjectUtils.parse(Files.readString(file));
    } catch (java.text.ParseException e) {
      throw new IOException(file + " is not JSON", e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }
}
