package dev.sealpost.envelope;

import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.UnsupportedFormatException;
import dev.sealpost.internal.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The manifest's JSON form (the JWS payload), version 1. */
final class ManifestCodec {
  private ManifestCodec() {}

  static String toJson(Manifest m) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("v", Manifest.VERSION);
    o.put("envelopeId", m.envelopeId());
    o.put("tenant", m.tenant());
    o.put("created", DateTimeFormatter.ISO_INSTANT.format(m.createdAt()));
    m.expiresAt().ifPresent(e -> o.put("expires", DateTimeFormatter.ISO_INSTANT.format(e)));
    o.put("subject", m.subject());
    o.put("message", m.message());
    o.put("attachments", attachmentsJson(m.attachments()));
    return Json.write(o);
  }

  /** The manifest's {@code attachments} array (shared with the reply manifest). */
  static List<Object> attachmentsJson(List<AttachmentDescriptor> descriptors) {
    List<Object> attachments = new ArrayList<>();
    for (AttachmentDescriptor a : descriptors) {
      Map<String, Object> ao = new LinkedHashMap<>();
      ao.put("id", a.id());
      ao.put("name", a.name());
      ao.put("mediaType", a.mediaType());
      ao.put("size", a.size());
      ao.put("sha256", B64.encode(a.sha256()));
      ao.put("key", B64.encode(a.key()));
      ao.put("noncePrefix", B64.encode(a.noncePrefix()));
      ao.put("chunkSize", a.chunkSize());
      attachments.add(ao);
    }
    return attachments;
  }

  /** Parses a signature-verified manifest. Messages name fields, never their content. */
  static Manifest parse(String json) {
    Map<String, Object> o =
        Json.parseObject(json, Limits.MAX_JWE_CHARS, Limits.MAX_MANIFEST_DEPTH, "the manifest");
    Object v = o.get("v");
    if (!(v instanceof Number)) {
      throw new MalformedEnvelopeException("the manifest has no version (v)");
    }
    if (!(v instanceof Long) || (Long) v != Manifest.VERSION) {
      throw new UnsupportedFormatException(
          "manifest version " + JweEnvelope.safe(String.valueOf(v)) + " is not supported");
    }
    String envelopeId = id(o, "envelopeId");
    String tenant = id(o, "tenant");
    Instant created = time(o, "created");
    Instant expires = o.containsKey("expires") ? time(o, "expires") : null;
    String subject = string(o, "subject");
    String message = string(o, "message");
    return new Manifest(envelopeId, tenant, created, expires, subject, message, attachments(o));
  }

  /** Parses the {@code attachments} array of a manifest (shared with the reply manifest). */
  static List<AttachmentDescriptor> attachments(Map<String, Object> o) {
    Object list = o.get("attachments");
    if (!(list instanceof List)) {
      throw new MalformedEnvelopeException("the manifest attachments is not an array");
    }
    List<?> rawAttachments = (List<?>) list;
    if (rawAttachments.size() > EnvelopeSealer.MAX_ATTACHMENTS) {
      throw new MalformedEnvelopeException(
          "the manifest lists more than " + EnvelopeSealer.MAX_ATTACHMENTS + " attachments");
    }
    List<AttachmentDescriptor> attachments = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Object raw : rawAttachments) {
      if (!(raw instanceof Map)) {
        throw new MalformedEnvelopeException("a manifest attachment is not an object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> a = (Map<String, Object>) raw;
      String id = id(a, "id");
      if (!ids.add(id)) {
        throw new MalformedEnvelopeException("two manifest attachments share an id");
      }
      long size = number(a, "size");
      long chunkSize = number(a, "chunkSize");
      if (size < 0) {
        throw new MalformedEnvelopeException("an attachment size is negative");
      }
      if (chunkSize < AttachmentStreams.MIN_CHUNK_SIZE
          || chunkSize > AttachmentStreams.MAX_CHUNK_SIZE) {
        throw new MalformedEnvelopeException("an attachment chunkSize is out of range");
      }
      if (AttachmentStreams.chunkCount(size, (int) chunkSize) > AttachmentStreams.MAX_CHUNKS) {
        throw new MalformedEnvelopeException("an attachment has more than 2^32-1 chunks");
      }
      attachments.add(
          new AttachmentDescriptor(
              id,
              string(a, "name"),
              string(a, "mediaType"),
              size,
              B64.decode(string(a, "sha256"), "an attachment sha256", 32),
              B64.decode(string(a, "key"), "an attachment key", AttachmentStreams.KEY_LENGTH),
              B64.decode(
                  string(a, "noncePrefix"),
                  "an attachment noncePrefix",
                  AttachmentStreams.NONCE_PREFIX_LENGTH),
              (int) chunkSize));
    }
    return attachments;
  }

  static String string(Map<String, Object> o, String name) {
    return string(o, name, "the manifest");
  }

  static String id(Map<String, Object> o, String name) {
    return id(o, name, "the manifest");
  }

  static long number(Map<String, Object> o, String name) {
    return number(o, name, "the manifest");
  }

  static Instant time(Map<String, Object> o, String name) {
    return time(o, name, "the manifest");
  }

  /**
   * @param what names the document in messages, e.g. {@code "the receipt"}
   */
  static String string(Map<String, Object> o, String name, String what) {
    Object value = o.get(name);
    if (!(value instanceof String)) {
      throw new MalformedEnvelopeException(what + " field " + name + " is not a string");
    }
    return (String) value;
  }

  static String id(Map<String, Object> o, String name, String what) {
    String value = string(o, name, what);
    if (value.isEmpty() || value.length() > Limits.MAX_ID_CHARS) {
      throw new MalformedEnvelopeException(what + " field " + name + " is not a valid id");
    }
    return value;
  }

  static long number(Map<String, Object> o, String name, String what) {
    Object value = o.get(name);
    if (!(value instanceof Long)) {
      throw new MalformedEnvelopeException(what + " field " + name + " is not an integer");
    }
    return (Long) value;
  }

  static Instant time(Map<String, Object> o, String name, String what) {
    try {
      return OffsetDateTime.parse(string(o, name, what), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant();
    } catch (DateTimeParseException e) {
      throw new MalformedEnvelopeException(what + " field " + name + " is not an RFC 3339 time");
    }
  }
}
