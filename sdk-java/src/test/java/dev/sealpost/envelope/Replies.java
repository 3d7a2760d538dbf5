package dev.sealpost.envelope;

import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import dev.sealpost.internal.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helpers for replies: what the server does on upload (a signed receipt over the parts as
 * received), written here with plain JSON and the SDK's ES256 signer; the server signs with its own
 * key service. Public (through the sdk test-jar) for the client and CLI tests' local servers.
 */
public final class Replies {
  static final String TENANT = "tenant-a";

  private Replies() {}

  /** A sealed reply and its attachment objects by id, in upload order. */
  static final class Upload {
    final SealedReply sealed;
    final Map<String, byte[]> objects;

    Upload(SealedReply sealed, Map<String, byte[]> objects) {
      this.sealed = sealed;
      this.objects = objects;
    }

    byte[] manifest() {
      return sealed.manifestBytes();
    }
  }

  /** Seals a reply with one attachment per plaintext ("file-<i>.bin"). */
  static Upload seal(
      String envelopeId, String recipientId, List<? extends JWK> keys, byte[]... plaintexts) {
    ReplySealer sealer =
        ReplySealer.builder()
            .envelopeId(envelopeId)
            .recipientId(recipientId)
            .replyKeys(keys)
            .build();
    Map<String, byte[]> objects = new LinkedHashMap<>();
    try {
      for (int i = 0; i < plaintexts.length; i++) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String id =
            sealer.attach(
                "file-" + i + ".bin",
                "application/octet-stream",
                new ByteArrayInputStream(plaintexts[i]),
                out);
        objects.put(id, out.toByteArray());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Upload(sealer.seal("Here is my answer."), objects);
  }

  /** The reply JWE for a hand-made manifest (to test what a sealer would never write). */
  static String encrypt(ReplyManifest manifest, List<Recipient> recipients) {
    List<JWK> keys = new ArrayList<>();
    for (Recipient r : recipients) {
      keys.add(r.encryptionKey());
    }
    return EnvelopeCodec.encrypt(
        new Payload(ReplyManifestCodec.toJson(manifest).getBytes(StandardCharsets.UTF_8)),
        JweEnvelope.REPLY_CONTENT_TYPE,
        recipients,
        keys);
  }

  /** The reply JWE for arbitrary plaintext (a manifest no sealer would write). */
  static String encryptRaw(String plaintext, List<Recipient> recipients) {
    List<JWK> keys = new ArrayList<>();
    for (Recipient r : recipients) {
      keys.add(r.encryptionKey());
    }
    return EnvelopeCodec.encrypt(
        new Payload(plaintext.getBytes(StandardCharsets.UTF_8)),
        JweEnvelope.REPLY_CONTENT_TYPE,
        recipients,
        keys);
  }

  /** The receipt payload the server writes for these parts. */
  static Map<String, Object> payload(
      String envelopeId,
      String recipientId,
      String replyId,
      byte[] manifest,
      Map<String, byte[]> objects) {
    return payload(
        TENANT,
        envelopeId,
        recipientId,
        replyId,
        DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(1796594400L)),
        manifest,
        objects);
  }

  private static Map<String, Object> payload(
      String tenant,
      String envelopeId,
      String recipientId,
      String replyId,
      String received,
      byte[] manifest,
      Map<String, byte[]> objects) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("v", 1);
    o.put("tenant", tenant);
    o.put("envelopeId", envelopeId);
    o.put("recipientId", recipientId);
    o.put("replyId", replyId);
    o.put("received", received);
    o.put("manifest", part(null, manifest));
    List<Object> parts = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : objects.entrySet()) {
      parts.add(part(e.getKey(), e.getValue()));
    }
    o.put("attachments", parts);
    return o;
  }

  /**
   * The receipt a server of {@code tenant} signs with {@code key} for a reply received at {@code
   * received} (RFC 3339): the manifest bytes and the attachment objects (by id, in upload order).
   */
  public static String receipt(
      ECKey key,
      String tenant,
      String envelopeId,
      String recipientId,
      String replyId,
      String received,
      byte[] manifest,
      Map<String, byte[]> objects) {
    return sign(
        key,
        header(key.getKeyID()),
        payload(tenant, envelopeId, recipientId, replyId, received, manifest, objects));
  }

  static Map<String, Object> payload(Upload u) {
    return payload(
        u.sealed.envelopeId(), u.sealed.recipientId(), u.sealed.replyId(), u.manifest(), u.objects);
  }

  private static Map<String, Object> part(String id, byte[] bytes) {
    Map<String, Object> p = new LinkedHashMap<>();
    if (id != null) {
      p.put("id", id);
    }
    p.put("sha256", B64.encode(ReplyReceipt.sha256(bytes)));
    p.put("size", bytes.length);
    return p;
  }

  /** The standard receipt header. */
  static String header(String kid) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("alg", "ES256");
    h.put("kid", kid);
    h.put("typ", ReplyReceipt.TYPE);
    return Json.write(h);
  }

  /** A compact JWS over {@code headerJson} and {@code payload}, ES256 with {@code key}. */
  static String sign(ECKey key, String headerJson, Map<String, Object> payload) {
    String input =
        B64.encode(headerJson.getBytes(StandardCharsets.UTF_8))
            + "."
            + B64.encode(Json.write(payload).getBytes(StandardCharsets.UTF_8));
    byte[] signature = ManifestSigner.fromJwk(key).sign(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + B64.encode(signature);
  }

  /** The receipt the server signs for this upload, with {@code key}. */
  static String receipt(ECKey key, Upload u) {
    return sign(key, header(key.getKeyID()), payload(u));
  }

  /** Opens a whole attachment to bytes. */
  static byte[] open(OpenedReply reply, String attachmentId, byte[] object) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      reply.openAttachment(attachmentId, new ByteArrayInputStream(object), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
