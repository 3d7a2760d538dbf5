package dev.sealpost.api.interfaces.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnvelopeMultipartTest {
  private static final String B = "----sealpostBoundary7MA4YWxkTrZu0gW";

  private static byte[] body(byte[] file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(
        ("preamble\r\n--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"envelope\"\r\n"
                + "Content-Type: application/json\r\n\r\n{\"subject\":\"s\"}\r\n--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    out.write(file);
    out.write(("\r\n--" + B + "--\r\nepilogue").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** Hands out at most a few bytes per read, to exercise the buffer edges. */
  private static InputStream trickle(byte[] data, int max) {
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, max));
      }
    };
  }

  @Test
  void readsPartsInOrder_withContentEndingExactlyAtTheBoundary() throws IOException {
    byte[] file = new byte[300_000];
    new Random(7).nextBytes(file);
    // Near-misses of the delimiter inside the content must stay content.
    byte[] nearMiss =
        ("\r\n--" + B.substring(0, B.length() - 1) + "X").getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(nearMiss, 0, file, 65_530, nearMiss.length);
    for (int chunk : new int[] {1, 7, 100, 65_536, 1 << 20}) {
      EnvelopeMultipart m = new EnvelopeMultipart(trickle(body(file), chunk), B);
      EnvelopeMultipart.Part env = m.next().orElseThrow();
      assertThat(env.name()).isEqualTo("envelope");
      assertThat(env.filename()).isEmpty();
      assertThat(new String(env.content().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("{\"subject\":\"s\"}");
      EnvelopeMultipart.Part f = m.next().orElseThrow();
      assertThat(f.name()).isEqualTo("file");
      assertThat(f.filename()).contains("a \"b\".pdf");
      assertThat(f.contentType()).contains("application/pdf");
      assertThat(f.content().readAllBytes()).isEqualTo(file);
      assertThat(m.next()).isEmpty();
    }
  }

  @Test
  void unreadPartsAreSkipped() throws IOException {
    EnvelopeMultipart m =
        new EnvelopeMultipart(new ByteArrayInputStream(body(new byte[10_000])), B);
    assertThat(m.next().map(EnvelopeMultipart.Part::name)).contains("envelope");
    assertThat(m.next().map(EnvelopeMultipart.Part::name)).contains("file");
    assertThat(m.next()).isEmpty();
  }

  @Test
  void truncatedBody_isA400() throws IOException {
    byte[] full = body(new byte[1000]);
    byte[] cut = java.util.Arrays.copyOf(full, full.length - 30);
    EnvelopeMultipart m = new EnvelopeMultipart(new ByteArrayInputStream(cut), B);
    m.next().orElseThrow().content().readAllBytes();
    InputStream file = m.next().orElseThrow().content();
    assertThatThrownBy(file::readAllBytes)
        .isInstanceOf(ProblemException.class)
        .extracting(e -> ((ProblemException) e).status())
        .isEqualTo(400);
  }

  @Test
  void boundaryParameter() {
    assertThat(EnvelopeMultipart.boundary("multipart/form-data; boundary=abc")).isEqualTo("abc");
    assertThat(EnvelopeMultipart.boundary("multipart/form-data; charset=utf-8; boundary=\"a b\""))
        .isEqualTo("a b");
    assertThat(EnvelopeMultipart.boundary("multipart/form-data")).isNull();
    assertThatThrownBy(() -> new EnvelopeMultipart(InputStream.nullInputStream(), null))
        .isInstanceOf(ProblemException.class);
  }

  @Test
  void rfc8187Filename() throws IOException {
    String body =
        "--"
            + B
            + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"fallback.txt\";"
            + " filename*=UTF-8''r%C3%A9sum%C3%A9.txt\r\n\r\nx\r\n--"
            + B
            + "--";
    EnvelopeMultipart m =
        new EnvelopeMultipart(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), B);
    Optional<String> name = m.next().orElseThrow().filename();
    assertThat(name).contains("résumé.txt");
  }
}
