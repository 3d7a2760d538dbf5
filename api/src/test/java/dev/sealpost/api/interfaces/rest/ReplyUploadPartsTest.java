package dev.sealpost.api.interfaces.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A reply upload whose request body fails to read (the client went away, or sent less than its
 * Content-Length: the container's stream throws an IOException) is the client's 400, never an
 * IOException the application would take for the blob store's 503.
 */
class ReplyUploadPartsTest {
  private static final String BOUNDARY = "b0undary";

  /** The request body up to {@code cut} bytes, after which every read throws, as Grizzly does. */
  private static InputStream cutAt(byte[] body, int cut) {
    return new SequenceInputStream(
        new ByteArrayInputStream(body, 0, cut),
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new EOFException();
          }
        });
  }

  @Test
  void aFailedReadMidAttachment_isTheClients400_notAnIOException() {
    // The attachment part alone (the parts are read in turn; JSON-P, which the reply and manifest
    // parts need, is the container's and not on this classpath).
    String attachmentId = UUID.randomUUID().toString();
    byte[] body = body(attachmentId);
    ReplyUploadParts parts =
        new ReplyUploadParts(new EnvelopeMultipart(cutAt(body, body.length - 50_000), BOUNDARY));
    InputStream attachment = parts.attachment(attachmentId);
    Throwable t = catchThrowable(() -> attachment.transferTo(OutputStream.nullOutputStream()));
    assertThat(t).isInstanceOf(ProblemException.class);
    assertThat(((ProblemException) t).status()).isEqualTo(400);
    assertThat(((ProblemException) t).problem().type()).endsWith("/bad-request");
    assertThat(t.getMessage()).isEqualTo("the request body could not be read");
  }

  @Test
  void aFailedReadInTheReplyPart_isTheClients400_notAnUncheckedIOException() {
    byte[] body = reply(UUID.randomUUID().toString());
    // In the part's headers, then in its content.
    for (int cut : new int[] {40, body.length - 20}) {
      ReplyUploadParts parts =
          new ReplyUploadParts(new EnvelopeMultipart(cutAt(body, cut), BOUNDARY));
      Throwable t = catchThrowable(parts::declaration);
      assertThat(t).as("cut at %d", cut).isInstanceOf(ProblemException.class);
      assertThat(((ProblemException) t).status()).isEqualTo(400);
      assertThat(t.getMessage()).isEqualTo("the request body could not be read");
    }
  }

  private static byte[] reply(String replyId) {
    return ("--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\"reply\"\r\n"
            + "Content-Type: application/json\r\n\r\n"
            + "{\"replyId\":\""
            + replyId
            + "\",\"attachments\":[]}\r\n--"
            + BOUNDARY
            + "--\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] body(String attachmentId) {
    return ("--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\""
            + attachmentId
            + "\"\r\nContent-Type: application/octet-stream\r\n\r\nSPA1"
            + "x".repeat(100_000)
            + "\r\n--"
            + BOUNDARY
            + "--\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }
}
