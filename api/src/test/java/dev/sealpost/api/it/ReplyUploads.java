package dev.sealpost.api.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.envelope.ReplySealer;
import dev.sealpost.envelope.SealedReply;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Real secure replies for the ITs, sealed with sdk-java's {@link ReplySealer} exactly as the viewer
 * uploads them (REPLY-WIRE.md), and the multipart bodies that carry them (well-formed or, for the
 * hostile cases, bent one part at a time).
 */
final class ReplyUploads {
  private ReplyUploads() {}

  /** A fresh EC P-256 reply key pair (the private half stays in the test, as with a tenant). */
  static ECKey replyKey(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.ENCRYPTION).generate();
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code {"keys":[<public key>]}}. */
  static String publicJwks(ECKey key) {
    return "{\"keys\":[" + key.toPublicJWK().toJSONString() + "]}";
  }

  /** One multipart part. */
  record Part(String name, String filename, String contentType, byte[] content) {}

  /** A sealed reply: the upload's parts and what they are. */
  record Reply(
      String replyId,
      List<String> attachmentIds,
      String replyJson,
      byte[] manifest,
      List<byte[]> attachments) {
    List<Part> parts() {
      List<Part> p = new ArrayList<>();
      p.add(
          new Part("reply", null, "application/json", replyJson.getBytes(StandardCharsets.UTF_8)));
      p.add(new Part("manifest", null, "application/jose+json", manifest));
      for (int i = 0; i < attachmentIds.size(); i++) {
        p.add(
            new Part(
                "attachment",
                attachmentIds.get(i),
                "application/octet-stream",
                attachments.get(i)));
      }
      return p;
    }
  }

  /** Seals {@code message} and {@code files} (name to bytes) to {@code replyKeysJson}. */
  static Reply seal(
      String envelopeId,
      String recipientId,
      String replyKeysJson,
      String message,
      Map<String, byte[]> files) {
    ReplySealer sealer =
        ReplySealer.builder()
            .envelopeId(envelopeId)
            .recipientId(recipientId)
            .replyKeysJson(replyKeysJson)
            .build();
    List<byte[]> objects = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    try {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ids.add(
            sealer.attach(
                f.getKey(),
                "application/octet-stream",
                new ByteArrayInputStream(f.getValue()),
                out));
        objects.add(out.toByteArray());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SealedReply sealed = sealer.seal(message);
    return new Reply(sealed.replyId(), ids, sealed.uploadJson(), sealed.manifestBytes(), objects);
  }

  /** The {@code reply} part for {@code replyId} and {@code attachmentIds}. */
  static String replyJson(String replyId, List<String> attachmentIds) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("replyId", replyId);
    o.put("attachments", attachmentIds);
    return JSONObjectUtils.toJSONString(o);
  }

  static String uuid() {
    return UUID.randomUUID().toString();
  }

  /** {@code parts} as a multipart/form-data body with {@code boundary}. */
  static byte[] body(String boundary, List<Part> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Part p : parts) {
      StringBuilder h = new StringBuilder();
      h.append("--").append(boundary).append("\r\n");
      h.append("Content-Disposition: form-data; name=\"").append(p.name()).append('"');
      if (p.filename() != null) {
        h.append("; filename=\"").append(p.filename()).append('"');
      }
      h.append("\r\n");
      if (p.contentType() != null) {
        h.append("Content-Type: ").append(p.contentType()).append("\r\n");
      }
      h.append("\r\n");
      out.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
      out.writeBytes(p.content());
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** The upload request (without sending it); {@code accessToken} may be null. */
  static HttpRequest.Builder request(URI uri, String accessToken, List<Part> parts) {
    String boundary = "r" + UUID.randomUUID();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body(boundary, parts)));
    if (accessToken != null) {
      b.header("Authorization", "Bearer " + accessToken);
    }
    return b;
  }
}
