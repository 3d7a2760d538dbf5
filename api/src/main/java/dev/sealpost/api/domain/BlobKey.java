package dev.sealpost.api.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a blob lives: slash-separated segments of {@code [A-Za-z0-9._-]}, no {@code .} or {@code
 * ..} segment, e.g. {@code <tenantId>/<envelopeId>/<attachmentId>}. Safe as a file path and an S3
 * key.
 */
public record BlobKey(String value) {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

  public BlobKey {
    Objects.requireNonNull(value, "value");
    String[] segments = value.split("/", -1);
    if (segments.length > 8) {
      throw new IllegalArgumentException("blob key has too many segments");
    }
    for (String s : segments) {
      if (!SEGMENT.matcher(s).matches() || s.equals("..")) {
        throw new IllegalArgumentException("invalid blob key segment");
      }
    }
  }

  public static BlobKey of(String... segments) {
    return new BlobKey(String.join("/", segments));
  }

  @Override
  public String toString() {
    return value;
  }
}
