package dev.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PipelinedTest {
  private static final long LARGE = Pipelined.THRESHOLD_BYTES;

  @Test
  void readAheadThenWriteBehind_copiesEveryByteInOrder() throws IOException {
    byte[] data = new byte[Pipelined.BLOCK * 5 + 12_345];
    new Random(1).nextBytes(data);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (InputStream in = Pipelined.readAhead(new ByteArrayInputStream(data), LARGE, "t");
        OutputStream out = Pipelined.writeBehind(sink, LARGE, "t")) {
      assertThat(in).isInstanceOf(Pipelined.ReadAhead.class);
      assertThat(out).isInstanceOf(Pipelined.WriteBehind.class);
      byte[] buf = new byte[65_537];
      int first = in.read();
      out.write(first);
      for (int n; (n = in.read(buf, 0, buf.length)) > 0; ) {
        out.write(buf, 0, n);
      }
      assertThat(in.read()).isEqualTo(-1);
    }
    assertThat(sink.toByteArray()).isEqualTo(data);
  }

  @Test
  void smallStreams_areNotWrapped() {
    InputStream in = new ByteArrayInputStream(new byte[1]);
    assertThat(Pipelined.readAhead(in, 1000, "t")).isSameAs(in);
  }

  @Test
  void aWriteFailure_isReportedToTheWriter() {
    OutputStream failing =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("disk full");
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("disk full");
          }
        };
    assertThatThrownBy(
            () -> {
              try (OutputStream out = Pipelined.writeBehind(failing, LARGE, "t")) {
                byte[] block = new byte[Pipelined.BLOCK];
                for (int i = 0; i < 20; i++) {
                  out.write(block);
                }
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessage("disk full");
  }

  @Test
  void aReadFailure_isReportedToTheReader() throws IOException {
    InputStream failing =
        new InputStream() {
          private int served;

          @Override
          public int read() throws IOException {
            throw new IOException("unreadable");
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (served > 0) {
              throw new IOException("unreadable");
            }
            served = len;
            return len;
          }
        };
    try (InputStream in = Pipelined.readAhead(failing, LARGE, "t")) {
      assertThatThrownBy(() -> in.readAllBytes())
          .isInstanceOf(IOException.class)
          .hasMessage("unreadable");
    }
  }

  @Test
  void closingEarly_stopsTheReader() throws IOException {
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 0;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            return len;
          }
        };
    InputStream in = Pipelined.readAhead(endless, LARGE, "t");
    assertThat(in.read(new byte[10])).isEqualTo(10);
    in.close();
    assertThatThrownBy(() -> in.read(new byte[1])).isInstanceOf(IOException.class);
  }
}
