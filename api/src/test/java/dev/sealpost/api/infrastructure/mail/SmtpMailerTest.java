package dev.sealpost.api.infrastructure.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.sealpost.api.domain.MailerException;
import dev.sealpost.api.domain.MailerMessage;
import dev.sealpost.api.infrastructure.config.MailConfig;
import dev.sealpost.api.infrastructure.config.Settings;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SMTP mailer against GreenMail, a real SMTP server. GreenMail 2.1.5 has no STARTTLS command
 * (greenmail-mail-test/greenmail#135, still open), so a small front in this test speaks the
 * STARTTLS part of RFC 3207 (EHLO offering STARTTLS, the TLS upgrade with a certificate made here
 * by keytool) and then relays the rest of the conversation, inside TLS, to GreenMail. The front
 * records every line the client sent in the clear, to show that nothing but EHLO/STARTTLS (or QUIT)
 * ever travels unencrypted.
 */
class SmtpMailerTest {
  private static final String PASS = "changeit";
  @TempDir Path dir;
  private GreenMail greenMail;
  private SmtpFront front;

  private static final MailerMessage MAIL =
      new MailerMessage(
          "someone@example.com",
          "Acme Insurance",
          "Your policy documents",
          "Open https://sealpost.example/v/a/b#LINK-SECRET-IN-THE-BODY",
          "<p>the html part</p>");

  @BeforeEach
  void startGreenMail() {
    greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    greenMail.start();
  }

  @AfterEach
  void stop() {
    if (front != null) {
      front.close();
    }
    greenMail.stop();
  }

  private int greenMailPort() {
    return greenMail.getSmtp().getPort();
  }

  /**
   * The mailer as the server builds it from the configuration with only host, port and from set.
   */
  private SmtpMailer mailerFromDefaults(int port) throws IOException {
    MailConfig c =
        MailConfig.from(
            Settings.of(
                Map.of(
                    "sealpost.mail", "smtp",
                    "sealpost.smtp.host", "127.0.0.1",
                    "sealpost.smtp.port", Integer.toString(port),
                    "sealpost.smtp.from", "notifications@sealpost.test")),
            dir);
    assertThat(c.requireStartTls()).as("STARTTLS is required by default").isTrue();
    return (SmtpMailer) MailProducers.of(c, Clock.systemUTC());
  }

  @Test
  void startTlsRequired_serverWithoutStartTls_refusesClearly_andSendsNothingInTheClear()
      throws Exception {
    front = new SmtpFront(greenMailPort(), null);
    SmtpMailer mailer = mailerFromDefaults(front.port());

    assertThatThrownBy(() -> mailer.send(MAIL))
        .isInstanceOf(MailerException.class)
        .hasMessageContaining("does not offer STARTTLS")
        .hasMessageContaining("sealpost.smtp.starttls=required")
        .hasMessageContaining("nothing was sent")
        .hasMessageNotContaining("LINK-SECRET");

    assertThat(greenMail.getReceivedMessages()).isEmpty();
    front.awaitClosed();
    assertThat(front.clientLines())
        .as("the client said hello and stopped: no MAIL FROM, RCPT or DATA in the clear")
        .isNotEmpty()
        .allMatch(l -> l.startsWith("EHLO ") || l.startsWith("HELO ") || l.equals("QUIT"));
  }

  @Test
  void startTlsRequired_serverOfferingStartTls_sendsTheMailInsideTls() throws Exception {
    Tls tls = Tls.create(dir);
    front = new SmtpFront(greenMailPort(), tls.server);
    SmtpMailer mailer =
        new SmtpMailer(
            "127.0.0.1",
            front.port(),
            Optional.empty(),
            Optional.empty(),
            "notifications@sealpost.test",
            true,
            tls.client.getSocketFactory());

    mailer.send(MAIL);

    assertThat(greenMail.waitForIncomingEmail(10_000, 1)).isTrue();
    MimeMessage got = greenMail.getReceivedMessages()[0];
    assertThat(got.getSubject()).isEqualTo("Your policy documents");
    front.awaitClosed();
    assertThat(front.upgraded()).isTrue();
    assertThat(front.clientLines())
        .as("in the clear: only EHLO and STARTTLS")
        .hasSizeBetween(2, 2)
        .allMatch(l -> l.startsWith("EHLO ") || l.equals("STARTTLS"));
  }

  @Test
  void startTlsOffered_butCertificateNotTrusted_failsWithoutFallingBackToPlaintext()
      throws Exception {
    Tls tls = Tls.create(dir);
    front = new SmtpFront(greenMailPort(), tls.server);
    // The JDK's default trust store does not know the test certificate.
    SmtpMailer mailer = mailerFromDefaults(front.port());

    assertThatThrownBy(() -> mailer.send(MAIL)).isInstanceOf(MailerException.class);

    assertThat(greenMail.getReceivedMessages()).isEmpty();
    front.awaitClosed();
    assertThat(front.clientLines()).allMatch(l -> l.startsWith("EHLO ") || l.equals("STARTTLS"));
  }

  /** A key pair and self-signed certificate for 127.0.0.1 (keytool), as server and client TLS. */
  record Tls(SSLContext server, SSLContext client) {
    static Tls create(Path dir) throws Exception {
      Path ks = dir.resolve("smtp.p12");
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                  "-genkeypair",
                  "-alias",
                  "smtp",
                  "-keyalg",
                  "EC",
                  "-groupname",
                  "secp256r1",
                  "-dname",
                  "CN=localhost",
                  "-ext",
                  "SAN=ip:127.0.0.1,dns:localhost",
                  "-validity",
                  "2",
                  "-storetype",
                  "PKCS12",
                  "-keystore",
                  ks.toString(),
                  "-storepass",
                  PASS,
                  "-keypass",
                  PASS)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();

      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = java.nio.file.Files.newInputStream(ks)) {
        keys.load(in, PASS.toCharArray());
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, PASS.toCharArray());
      SSLContext server = SSLContext.getInstance("TLS");
      server.init(kmf.getKeyManagers(), null, null);

      Certificate cert = keys.getCertificate("smtp");
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("smtp", cert);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext client = SSLContext.getInstance("TLS");
      client.init(null, tmf.getTrustManagers(), null);
      return new Tls(server, client);
    }
  }

  /**
   * One-connection SMTP front for GreenMail. Without TLS it relays everything and records the
   * client's lines. With TLS it answers the greeting and EHLO itself (offering STARTTLS), upgrades
   * on STARTTLS, then relays the rest to GreenMail inside TLS; before the upgrade any other command
   * is recorded and refused with 530.
   */
  static final class SmtpFront implements AutoCloseable {
    private final ServerSocket listener;
    private final int backendPort;
    private final SSLContext tls;
    private final List<String> clearLines = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean upgraded;

    SmtpFront(int backendPort, SSLContext tls) throws IOException {
      this.backendPort = backendPort;
      this.tls = tls;
      this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      this.thread = new Thread(this::serveOne, "smtp-front");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    List<String> clientLines() {
      return List.copyOf(clearLines);
    }

    boolean upgraded() {
      return upgraded;
    }

    void awaitClosed() throws InterruptedException {
      thread.join(15_000);
      assertThat(thread.isAlive()).as("the SMTP conversation ended").isFalse();
    }

    private void serveOne() {
      try (Socket client = listener.accept()) {
        client.setSoTimeout(15_000);
        if (tls == null) {
          relayRecording(client);
        } else {
          startTlsThenRelay(client);
        }
      } catch (IOException e) {
        // the client hung up (a failed handshake, for one): the test checks what was recorded
      }
    }

    private void relayRecording(Socket client) throws IOException {
      try (Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
        Thread down = pipe(backend.getInputStream(), client.getOutputStream());
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream up = backend.getOutputStream();
        String line;
        while ((line = in.readLine()) != null) {
          clearLines.add(line);
          up.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
          up.flush();
        }
        down.interrupt();
      }
    }

    private void startTlsThenRelay(Socket client) throws IOException {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = client.getOutputStream();
      write(out, "220 front ESMTP");
      String line;
      while ((line = in.readLine()) != null) {
        clearLines.add(line);
        String verb = line.split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT);
        if (verb.equals("EHLO")) {
          write(out, "250-front\r\n250 STARTTLS");
        } else if (verb.equals("STARTTLS")) {
          write(out, "220 2.0.0 Ready to start TLS");
          break;
        } else if (verb.equals("QUIT")) {
          write(out, "221 bye");
          return;
        } else {
          write(out, "530 5.7.0 Must issue a STARTTLS command first");
        }
      }
      if (line == null) {
        return;
      }
      SSLSocket secure =
          (SSLSocket)
              tls.getSocketFactory()
                  .createSocket(
                      client, client.getInetAddress().getHostAddress(), client.getPort(), false);
      secure.setUseClientMode(false);
      secure.startHandshake();
      upgraded = true;
      try (Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
        BufferedReader greeting =
            new BufferedReader(
                new InputStreamReader(backend.getInputStream(), StandardCharsets.US_ASCII));
        // GreenMail's own greeting: the client already had one (ours) before the upgrade.
        String g = greeting.readLine();
        assertThat(g).startsWith("220");
        Thread down = pipe(backend.getInputStream(), secure.getOutputStream());
        secure.getInputStream().transferTo(backend.getOutputStream());
        down.interrupt();
      } finally {
        secure.close();
      }
    }

    private static void write(OutputStream out, String reply) throws IOException {
      out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    private static Thread pipe(InputStream from, OutputStream to) {
      Thread t =
          new Thread(
              () -> {
                try {
                  from.transferTo(to);
                  to.flush();
                } catch (IOException e) {
                  // one side closed
                }
              },
              "smtp-front-pipe");
      t.setDaemon(true);
      t.start();
      return t;
    }

    @Override
    public void close() {
      try {
        listener.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
