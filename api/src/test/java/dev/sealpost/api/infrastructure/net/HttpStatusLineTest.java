package dev.sealpost.api.infrastructure.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What counts as an HTTP/1.x status line for the JWKS fetcher and the webhook sender. */
class HttpStatusLineTest {

  @Test
  void http10And11_withOrWithoutReason_giveTheThreeDigitCode() {
    Map<String, Integer> codes =
        Map.of(
            "HTTP/1.1 200 OK", 200,
            "HTTP/1.0 404 Not Found", 404,
            "HTTP/1.1 204", 204,
            "HTTP/1.1 503 ", 503,
            "HTTP/1.1 302 Found\r", 302,
            "HTTP/1.1 500 a reason with spaces", 500,
            "HTTP/1.1 000", 0,
            "HTTP/1.1 999 Odd", 999);
    codes.forEach((line, code) -> assertThat(HttpStatusLine.code(line)).as(line).hasValue(code));
  }

  @Test
  void anythingElse_isNoStatusLine() {
    List<String> garbage =
        List.of(
            "HTTP/1.1 20 OK",
            "HTTP/1.1 2000 OK",
            "HTTP/1.1 0200 OK",
            "HTTP/1.1 +20 OK",
            "HTTP/1.1 -20 OK",
            "HTTP/1.1 2O0 OK",
            "HTTP/1.1 \u0662\u0660\u0660 OK", // non-ASCII digits
            "",
            "\r",
            "HTTP/1.1",
            "HTTP/1.1 ",
            "HTTP/1.1  200 OK",
            "HTTP/2 200",
            "http/1.1 200 OK",
            "SSH-2.0-OpenSSH_9.6",
            "200 OK",
            "ICY 200 OK",
            "\u0000\u0001\u0002");
    garbage.forEach(line -> assertThat(HttpStatusLine.code(line)).as(line).isEmpty());
  }
}
