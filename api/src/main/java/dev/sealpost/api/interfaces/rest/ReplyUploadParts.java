package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.ReplyLimits;
import dev.sealpost.api.application.ReplyParts;
import dev.sealpost.api.domain.PayloadTooLargeException;
import dev.sealpost.api.interfaces.rest.EnvelopeMultipart.Part;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parts of {@code POST /v1/open/{e}/{r}/replies} as they stream by (REPLY-WIRE.md), each
 * checked before anything of it is stored: the {@code reply} part (the only clear text: a replyId
 * and the attachment ids, UUIDs, nothing else), the {@code manifest} part (a JWE document in the
 * General JSON Serialization whose protected header says {@code cty sealpost-reply+json}), then one
 * {@code attachment} part per declared id, in order, each a STREAM object starting with {@code
 * SPA1}. Any deviation is a 400 naming the part.
 */
final class ReplyUploadParts implements ReplyParts {
  static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  static final String REPLY_CTY = "sealpost-reply+json";
  private static final int MAX_REPLY_PART = 4096;
  private static final byte[] SPA1 = "SPA1".getBytes(StandardCharsets.US_ASCII);

  private final EnvelopeMultipart multipart;

  ReplyUploadParts(EnvelopeMultipart multipart) {
    this.multipart = multipart;
  }

  /** The {@code reply} part: replyId and attachment ids. */
  record Declaration(String replyId, List<String> attachments) {}

  Declaration declaration() {
    Part p = next("reply", "the first part must be the reply JSON, named reply");
    type(p, "reply", "application/json");
    byte[] json = read(p.content(), MAX_REPLY_PART, "reply", false);
    guarded("reply", json);
    return parseDeclaration(json);
  }

  static Declaration parseDeclaration(byte[] json) {
    Set<String> members = new HashSet<>();
    try (JsonParser parser = Json.createParser(new ByteArrayInputStream(json))) {
      if (!parser.hasNext() || parser.next() != Event.START_OBJECT) {
        throw ProblemException.badField("reply", "must be a JSON object");
      }
      int depth = 1;
      while (parser.hasNext() && depth > 0) {
        Event e = parser.next();
        if (e == Event.KEY_NAME && depth == 1 && !members.add(parser.getString())) {
          throw ProblemException.badField(
              "reply", "has the member " + printable(parser.getString()) + " twice");
        }
        depth += e == Event.START_OBJECT || e == Event.START_ARRAY ? 1 : 0;
        depth -= e == Event.END_OBJECT || e == Event.END_ARRAY ? 1 : 0;
      }
    } catch (JsonException | IllegalStateException e) {
      throw ProblemException.badField("reply", "is not valid JSON");
    }
    JsonObject o;
    try (JsonReader r = Json.createReader(new ByteArrayInputStream(json))) {
      o = r.readObject();
    } catch (JsonException | IllegalStateException e) {
      throw ProblemException.badField("reply", "is not valid JSON");
    }
    for (String m : o.keySet()) {
      if (!m.equals("replyId") && !m.equals("attachments")) {
        throw ProblemException.badField("reply." + printable(m), "is not a member of reply");
      }
    }
    String replyId = uuid("reply.replyId", o.get("replyId"));
    JsonValue list = o.get("attachments");
    if (list == null || list.getValueType() != JsonValue.ValueType.ARRAY) {
      throw ProblemException.badField("reply.attachments", "must be an array of UUID strings");
    }
    if (list.asJsonArray().size() > ReplyLimits.MAX_ATTACHMENTS) {
      throw ProblemException.badField(
          "reply.attachments", "at most " + ReplyLimits.MAX_ATTACHMENTS + " attachments");
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < list.asJsonArray().size(); i++) {
      String id = uuid("reply.attachments[" + i + "]", list.asJsonArray().get(i));
      if (ids.contains(id)) {
        throw ProblemException.badField("reply.attachments[" + i + "]", "is declared twice");
      }
      ids.add(id);
    }
    return new Declaration(replyId, List.copyOf(ids));
  }

  private static String uuid(String field, JsonValue v) {
    if (v == null
        || v.getValueType() != JsonValue.ValueType.STRING
        || !UUID.matcher(((JsonString) v).getString()).matches()) {
      throw ProblemException.badField(field, "must be a UUID string (lower case)");
    }
    return ((JsonString) v).getString();
  }

  @Override
  public byte[] manifest() {
    Part p = next("manifest", "the second part must be the reply manifest, named manifest");
    type(p, "manifest", "application/jose+json");
    byte[] doc = read(p.content(), ReplyLimits.MAX_MANIFEST_BYTES, "manifest", true);
    guarded("manifest", doc);
    checkManifest(doc);
    return doc;
  }

  /**
   * The API's own JSON guard ({@link JsonLimitsInterceptor}: depth, UTF-8, a member name twice)
   * over a part's bytes before JSON-P reads them; its refusal names the part.
   */
  static void guarded(String part, byte[] json) {
    try {
      JsonLimitsInterceptor.check(json);
    } catch (ProblemException e) {
      throw e.about(part);
    }
  }

  /** A JWE in the General JSON Serialization whose protected header names the reply cty. */
  static void checkManifest(byte[] doc) {
    JsonObject o;
    try (JsonReader r = Json.createReader(new ByteArrayInputStream(doc))) {
      o = r.readObject();
    } catch (JsonException | IllegalStateException e) {
      throw ProblemException.badField("manifest", "must be a JWE document (JSON object)");
    }
    for (String m : List.of("protected", "iv", "ciphertext", "tag")) {
      if (!(o.get(m) instanceof JsonString)) {
        throw ProblemException.badField("manifest", "must have the string member " + m);
      }
    }
    if (!(o.get("recipients") instanceof jakarta.json.JsonArray a) || a.isEmpty()) {
      throw ProblemException.badField("manifest", "must have a non-empty recipients array");
    }
    byte[] headerJson;
    try {
      headerJson = Base64.getUrlDecoder().decode(o.getString("protected"));
    } catch (IllegalArgumentException e) {
      throw ProblemException.badField("manifest", "its protected header is not base64url JSON");
    }
    guarded("manifest", headerJson);
    JsonObject header;
    try (JsonReader r = Json.createReader(new ByteArrayInputStream(headerJson))) {
      header = r.readObject();
    } catch (JsonException | IllegalArgumentException | IllegalStateException e) {
      throw ProblemException.badField("manifest", "its protected header is not base64url JSON");
    }
    if (!(header.get("cty") instanceof JsonString cty && cty.getString().equals(REPLY_CTY))
        || !(header.get("enc") instanceof JsonString enc && enc.getString().equals("A256GCM"))) {
      throw ProblemException.badField(
          "manifest", "its protected header must have cty " + REPLY_CTY + " and enc A256GCM");
    }
  }

  @Override
  public InputStream attachment(String id) {
    Part p = next("attachment", "an attachment part, named attachment, must follow for " + id);
    if (!p.filename().filter(id::equals).isPresent()) {
      throw ProblemException.badField(
          "attachment", "parts must come in the declared order, filename = the attachment id");
    }
    type(p, "attachment", "application/octet-stream");
    return spa1(new ClientBody(p.content()));
  }

  @Override
  public void end() {
    try {
      if (multipart.next().isPresent()) {
        throw ProblemException.badRequest("a part follows the last declared attachment");
      }
    } catch (IOException e) {
      throw unreadable();
    }
  }

  private Part next(String name, String missing) {
    Optional<Part> p;
    try {
      p = multipart.next();
    } catch (IOException e) {
      throw unreadable();
    }
    if (p.isEmpty() || !p.get().name().equals(name)) {
      throw ProblemException.badField(name, missing);
    }
    return p.get();
  }

  private static void type(Part p, String field, String expected) {
    Optional<String> t = p.contentType().map(x -> x.split(";")[0].trim().toLowerCase(Locale.ROOT));
    if (t.isPresent() && !t.get().equals(expected)) {
      throw ProblemException.badField(field, "must have Content-Type " + expected);
    }
  }

  /** The whole part, at most {@code max} bytes: beyond, a 400 or (the manifest) a 413. */
  private static byte[] read(InputStream in, int max, String field, boolean tooLarge) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        out.write(buf, 0, n);
        if (out.size() > max) {
          if (tooLarge) {
            throw new PayloadTooLargeException(
                "the " + field + " may have at most " + max + " bytes");
          }
          throw ProblemException.badField(field, "may have at most " + max + " bytes");
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw unreadable();
    }
  }

  /**
   * The request body could not be read (the client went away mid-upload, or declared more bytes
   * than it sent): the client's failure, a 400 as for any body that can not be read, never the
   * store's 503.
   */
  static ProblemException unreadable() {
    return ProblemException.badRequest("the request body could not be read");
  }

  /** A part's content whose failed read is the client's failure ({@link #unreadable()}). */
  static final class ClientBody extends java.io.FilterInputStream {
    ClientBody(InputStream in) {
      super(in);
    }

    @Override
    public int read() {
      try {
        return in.read();
      } catch (IOException e) {
        throw unreadable();
      }
    }

    @Override
    public int read(byte[] b, int off, int len) {
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw unreadable();
      }
    }

    @Override
    public long skip(long n) {
      try {
        return in.skip(n);
      } catch (IOException e) {
        throw unreadable();
      }
    }

    @Override
    public int available() {
      try {
        return in.available();
      } catch (IOException e) {
        throw unreadable();
      }
    }
  }

  /** {@code in}, refused (400) unless its first four bytes are {@code SPA1}. */
  private static InputStream spa1(InputStream in) {
    return new ChunkInputStream.Watched(in) {
      private int matched;

      @Override
      void seen(byte[] b, int off, int n) {
        for (int i = 0; i < n && matched < SPA1.length; i++, matched++) {
          if (b[off + i] != SPA1[matched]) {
            throw notStream();
          }
        }
        if (n < 0 && matched < SPA1.length) {
          throw notStream();
        }
      }
    };
  }

  private static ProblemException notStream() {
    return ProblemException.badField("attachment", "must be a STREAM object (starting with SPA1)");
  }

  private static String printable(String s) {
    String p = s.replaceAll("[^\\x20-\\x7e]", "?");
    return p.length() > 40 ? p.substring(0, 40) + "..." : p;
  }
}
