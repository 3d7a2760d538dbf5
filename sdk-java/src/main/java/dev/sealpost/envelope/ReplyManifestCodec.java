package dev.sealpost.envelope;

import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.UnsupportedFormatException;
import dev.sealpost.internal.Json;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The reply manifest's JSON form (the reply JWE's plaintext), version 1. */
final class ReplyManifestCodec {
  private ReplyManifestCodec() {}

  static String toJson(ReplyManifest m) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("v", ReplyManifest.VERSION);
    o.put("replyId", m.replyId());
    o.put("envelopeId", m.envelopeId());
    o.put("recipientId", m.recipientId());
    o.put("created", DateTimeFormatter.ISO_INSTANT.format(m.createdAt()));
    o.put("message", m.message());
    o.put("attachments", ManifestCodec.attachmentsJson(m.attachments()));
    return Json.write(o);
  }

  /** Parses a decrypted reply manifest. Messages name fields, never their content. */
  static ReplyManifest parse(String json) {
    Map<String, Object> o =
        Json.parseObject(
            json, Limits.MAX_REPLY_JWE_CHARS, Limits.MAX_MANIFEST_DEPTH, "the reply manifest");
    Object v = o.get("v");
    if (!(v instanceof Number)) {
      throw new MalformedEnvelopeException("the reply manifest has no version (v)");
    }
    if (!(v instanceof Long) || (Long) v != ReplyManifest.VERSION) {
      throw new UnsupportedFormatException(
          "reply manifest version " + JweEnvelope.safe(String.valueOf(v)) + " is not supported");
    }
    return new ReplyManifest(
        ManifestCodec.id(o, "replyId", "the reply manifest"),
        ManifestCodec.id(o, "envelopeId", "the reply manifest"),
        ManifestCodec.id(o, "recipientId", "the reply manifest"),
        ManifestCodec.time(o, "created", "the reply manifest"),
        ManifestCodec.string(o, "message", "the reply manifest"),
        ManifestCodec.attachments(o));
  }
}
