package dev.sealpost.api.infrastructure.net;

import java.util.OptionalInt;

/**
 * The status line of an HTTP/1.x answer ({@code HTTP/1.1 200 OK}), as the server's own outbound
 * calls read it (the partner JWKS fetcher, the webhook sender): one home for what counts as an HTTP
 * answer.
 */
public final class HttpStatusLine {
  private HttpStatusLine() {}

  /**
   * The status code of {@code HTTP/1.x NNN [reason]}: a version starting {@code HTTP/1.}, one
   * space, exactly three digits, then optionally a space and a reason. White space around the line
   * (the CR of CRLF) is ignored; anything else is empty.
   */
  public static OptionalInt code(String line) {
    String[] parts = line.trim().split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(parts[1]));
  }
}
