package dev.sealpost.envelope;

import dev.sealpost.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sealed reply: the reply manifest JWE (the upload's {@code manifest} part) and what the upload
 * declares in clear (its {@code reply} part: the reply id and the attachment ids). The attachment
 * objects were written by the {@link ReplySealer}.
 */
public final class SealedReply {
  /** The file name {@link #writeTo(Path)} gives the manifest JWE. */
  public static final String MANIFEST_FILE = "manifest.jwe";

  /** The file name {@link #writeTo(Path)} gives the upload's {@code reply} part. */
  public static final String REPLY_FILE = "reply.json";

  private final String json;
  private final ReplyManifest manifest;
  private final List<String> keyIds;

  SealedReply(String json, ReplyManifest manifest, List<String> keyIds) {
    this.json = json;
    this.manifest = manifest;
    this.keyIds = List.copyOf(keyIds);
  }

  /** The reply id. */
  public String replyId() {
    return manifest.replyId();
  }

  /** The envelope the reply answers. */
  public String envelopeId() {
    return manifest.envelopeId();
  }

  /** The recipient who replies. */
  public String recipientId() {
    return manifest.recipientId();
  }

  /** The attachment ids, in the order they must be uploaded. */
  public List<String> attachmentIds() {
    return manifest.attachmentIds();
  }

  /** The reply manifest JWE, General JSON Serialization (ASCII). */
  public String json() {
    return json;
  }

  /** The reply manifest JWE as the bytes to upload (the {@code manifest} part). */
  public byte[] manifestBytes() {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** The reply manifest as sealed (it holds the attachment keys: keep it private). */
  public ReplyManifest manifest() {
    return manifest;
  }

  /** The {@code kid}s of the reply keys it was sealed for, in entry order. */
  public List<String> keyIds() {
    return keyIds;
  }

  /**
   * The upload's {@code reply} part: {@code {"replyId":"...","attachments":["...", ...]}}, the only
   * clear text that travels.
   */
  public String uploadJson() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("replyId", replyId());
    o.put("attachments", attachmentIds());
    return Json.write(o);
  }

  /**
   * Writes {@value #MANIFEST_FILE} and {@value #REPLY_FILE} into {@code directory} (the attachment
   * objects are written by the sealer, e.g. by {@link ReplySealer#attach(String, String, Path,
   * Path)} into the same directory).
   */
  public void writeTo(Path directory) throws IOException {
    Files.write(directory.resolve(MANIFEST_FILE), manifestBytes());
    Files.writeString(directory.resolve(REPLY_FILE), uploadJson(), StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "SealedReply[replyId=" + replyId() + ", keys=" + keyIds + "]";
  }
}
