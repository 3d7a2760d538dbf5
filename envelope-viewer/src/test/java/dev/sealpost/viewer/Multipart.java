package dev.sealpost.viewer;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.viewer.FakeOpenApi.Part;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small multipart/form-data reader (RFC 7578) for the fake API, and the server's checks of a
 * reply upload (REPLY-WIRE.md "Upload"): parts reply, manifest, attachment... in that order, the
 * clear reply part holding exactly {replyId, attachments} with UUIDs only.
 */
final class Multipart {

  static final Pattern UUID =
      Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
  private static final Pattern NAME = Pattern.compile("[; ]name=\"([^\"]*)\"");
  private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");

  private Multipart() {}

  static List<Part> parse(String contentType, byte[] body) {
    List<Part> parts = new ArrayList<>();
    Matcher m = contentType == null ? null : BOUNDARY.matcher(contentType);
    if (m == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")
        || !m.find()) {
      return parts;
    }
    byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int start = at + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        break; // the closing delimiter
      }
      start += 2; // CRLF after the delimiter
      int next =
          indexOf(
              body,
              ("\r\n" + new String(delimiter, StandardCharsets.ISO_8859_1))
                  .getBytes(StandardCharsets.ISO_8859_1),
              start);
      if (next < 0) {
        break;
      }
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
      String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
      byte[] content = java.util.Arrays.copyOfRange(body, headersEnd + 4, next);
      String name = null;
      String filename = null;
      String type = null;
      for (String line : headers.split("\r\n")) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-disposition:")) {
          Matcher n = NAME.matcher(line);
          name = n.find() ? n.group(1) : null;
          Matcher f = FILENAME.matcher(line);
          filename = f.find() ? f.group(1) : null;
        } else if (lower.startsWith("content-type:")) {
          type = line.substring("content-type:".length()).trim();
        }
      }
      parts.add(new Part(name, filename, type, content));
      at = next + 2;
    }
    return parts;
  }

  /** What a strict server refuses in a reply upload, or null when it is well-formed. */
  static String checkReplyParts(List<Part> parts) {
    if (parts.size() < 2 || !"reply".equals(parts.get(0).name())) {
      return "the first part must be reply";
    }
    if (!"manifest".equals(parts.get(1).name())) {
      return "the second part must be manifest";
    }
    Map<String, Object> reply;
    try {
      reply = JSONObjectUtils.parse(parts.get(0).text());
    } catch (Exception e) {
      return "reply is not JSON";
    }
    if (!reply.keySet().equals(Set.of("replyId", "attachments"))) {
      return "reply members " + reply.keySet();
    }
    if (!(reply.get("replyId") instanceof String id) || !UUID.matcher(id).matches()) {
      return "replyId";
    }
    if (!(reply.get("attachments") instanceof List<?> ids) || ids.size() > 20) {
      return "attachments";
    }
    Set<Object> seen = new HashSet<>();
    for (Object o : ids) {
      if (!(o instanceof String s) || !UUID.matcher(s).matches() || !seen.add(s)) {
        return "attachment id";
      }
    }
    if (parts.size() != 2 + ids.size()) {
      return "one attachment part per declared id";
    }
    for (int i = 0; i < ids.size(); i++) {
      Part p = parts.get(2 + i);
      if (!"attachment".equals(p.name()) || !ids.get(i).equals(p.filename())) {
        return "attachment part " + i;
      }
      byte[] b = p.body();
      if (b.length < 4 || b[0] != 'S' || b[1] != 'P' || b[2] != 'A' || b[3] != '1') {
        return "attachment " + i + " is not SPA1";
      }
    }
    return null;
  }

  static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
