package dev.sealpost.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.exception.MalformedEnvelopeException;
import java.text.ParseException;
import java.util.Map;

/**
 * Bounded JSON parsing. Every document is checked for length and nesting depth with a cheap linear
 * scan before a parser sees it, so a hostile 10,000-deep document costs one pass and no stack.
 */
public final class Json {
  private Json() {}

  /**
   * Parses a JSON object after checking its length and nesting depth.
   *
   * @param what names the document in error messages (never its content)
   */
  public static Map<String, Object> parseObject(
      String json, int maxChars, int maxDepth, String what) {
    if (json.length() > maxChars) {
      throw new MalformedEnvelopeException(what + " is larger than " + maxChars + " characters");
    }
    checkDepth(json, maxDepth, what);
    Map<String, Object> object;
    try {
      object = JSONObjectUtils.parse(json);
    } catch (ParseException | RuntimeException e) {
      // No cause: a parser message may quote the input, which can be plaintext.
      throw new MalformedEnvelopeException(what + " is not a valid JSON object");
    }
    if (object == null) {
      throw new MalformedEnvelopeException(what + " is not a valid JSON object");
    }
    return object;
  }

  /** Fails if objects/arrays nest deeper than {@code maxDepth} (strings are skipped). */
  public static void checkDepth(String json, int maxDepth, String what) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        if (++depth > maxDepth) {
          throw new MalformedEnvelopeException(what + " nests deeper than " + maxDepth + " levels");
        }
      } else if (c == '}' || c == ']') {
        depth--;
      }
    }
  }

  /** Serialises a map (kept in insertion order) as compact JSON. */
  public static String write(Map<String, ?> object) {
    return JSONObjectUtils.toJSONString(object);
  }
}
