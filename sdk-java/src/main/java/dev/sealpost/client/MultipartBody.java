package dev.sealpost.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A {@code multipart/form-data} body whose file parts stream from disk (never loaded whole), with
 * an exact Content-Length. Re-readable, so a retried request sends the files again. Not API.
 */
final class MultipartBody {
  final String boundary = "sealpost-" + UUID.randomUUID();
  private final List<Supplier<InputStream>> pieces = new ArrayList<>();
  private final java.util.function.LongConsumer progress;
  private long length;
  private long fileBytes;

  MultipartBody(java.util.function.LongConsumer progress) {
    this.progress = progress;
  }

  MultipartBody json(String name, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    bytes(head("form-data; name=\"" + name + "\"", "application/json"));
    bytes(body);
    bytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  MultipartBody file(SendRequest.Attachment a) {
    String disposition =
        "form-data; name=\"file\"; filename=\""
            + asciiFallback(a.name())
            + "\"; filename*=UTF-8''"
            + URLEncoder.encode(a.name(), StandardCharsets.UTF_8).replace("+", "%20");
    bytes(head(disposition, a.mediaType()));
    long size = a.size();
    if (a.file() != null) {
      long before = fileBytes;
      fileBytes += size;
      pieces.add(
          () -> {
            try {
              InputStream in = Files.newInputStream(a.file());
              return progress == null ? in : new Counting(in, before, progress);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
      length += size;
    } else {
      bytes(a.data());
    }
    bytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  MultipartBody end() {
    bytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  HttpRequest.BodyPublisher publisher() {
    List<Supplier<InputStream>> all = List.copyOf(pieces);
    Supplier<InputStream> stream =
        () -> {
          List<InputStream> opened = new ArrayList<>();
          for (Supplier<InputStream> s : all) {
            opened.add(new LazyStream(s));
          }
          return new SequenceInputStream(Collections.enumeration(opened));
        };
    return HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(stream), length);
  }

  private byte[] head(String disposition, String contentType) {
    return ("--"
            + boundary
            + "\r\nContent-Disposition: "
            + disposition
            + "\r\nContent-Type: "
            + contentType.replaceAll("[\\r\\n]", "")
            + "\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private void bytes(byte[] b) {
    pieces.add(() -> new ByteArrayInputStream(b));
    length += b.length;
  }

  private static String asciiFallback(String name) {
    StringBuilder sb = new StringBuilder();
    for (char c : name.toCharArray()) {
      sb.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
    }
    return sb.toString();
  }

  /** Reports the file bytes read so far (offset by the files before it). */
  private static final class Counting extends java.io.FilterInputStream {
    private final java.util.function.LongConsumer listener;
    private long done;

    Counting(InputStream in, long offset, java.util.function.LongConsumer listener) {
      super(in);
      this.done = offset;
      this.listener = listener;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b != -1) {
        listener.accept(++done);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        done += n;
        listener.accept(done);
      }
      return n;
    }
  }

  /** Opens its source on first read, so only one file is open at a time. */
  private static final class LazyStream extends InputStream {
    private final Supplier<InputStream> source;
    private InputStream in;

    LazyStream(Supplier<InputStream> source) {
      this.source = source;
    }

    private InputStream in() {
      if (in == null) {
        in = source.get();
      }
      return in;
    }

    @Override
    public int read() throws IOException {
      return in().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in().read(b, off, len);
    }

    @Override
    public void close() throws IOException {
      if (in != null) {
        in.close();
      }
    }
  }
}
