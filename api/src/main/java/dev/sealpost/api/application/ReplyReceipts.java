package dev.sealpost.api.application;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.api.domain.ReplyRecord;
import dev.sealpost.api.domain.TenantSigner;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reply receipt (REPLY-WIRE.md): a compact JWS, ES256, by the tenant's current signing key (the
 * one in {@code /.well-known/jwks.json}), over the ids, the time and the SHA-256 and size of every
 * part as received. The consumer has no signing key, so this is what binds a reply to what the
 * server took in: the server signs ciphertext digests only, never plaintext it cannot see.
 */
final class ReplyReceipts {
  static final String TYPE = "sealpost-reply-receipt+jws";

  private ReplyReceipts() {}

  /** {@code reply}'s receipt; {@code reply.receipt()} is ignored. */
  static String sign(ReplyRecord reply, TenantSigner signer) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "ES256");
    header.put("kid", signer.keyId());
    header.put("typ", TYPE);
    String signingInput =
        Base64URL.encode(utf8(JSONObjectUtils.toJSONString(header)))
            + "."
            + Base64URL.encode(utf8(JSONObjectUtils.toJSONString(payload(reply))));
    byte[] signature = signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
    if (signature == null || signature.length != 64) {
      throw new IllegalStateException("the signer must return a 64-byte ES256 signature (R || S)");
    }
    return signingInput + "." + Base64URL.encode(signature);
  }

  static Map<String, Object> payload(ReplyRecord r) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("v", 1);
    p.put("tenant", r.tenantId().value());
    p.put("envelopeId", r.envelopeId().value());
    p.put("recipientId", r.recipientId().value());
    p.put("replyId", r.id());
    p.put("received", r.received().truncatedTo(ChronoUnit.SECONDS).toString());
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("sha256", r.manifestSha256());
    manifest.put("size", r.manifestSize());
    p.put("manifest", manifest);
    List<Object> attachments = new ArrayList<>();
    for (ReplyRecord.Part a : r.attachments()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("id", a.id());
      o.put("sha256", a.sha256());
      o.put("size", a.size());
      attachments.add(o);
    }
    p.put("attachments", attachments);
    return p;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
