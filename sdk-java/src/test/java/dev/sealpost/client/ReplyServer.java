package dev.sealpost.client;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sealpost.envelope.Replies;
import dev.sealpost.envelope.ReplySealer;
import dev.sealpost.envelope.SealedReply;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local HTTP server answering the sender's reply requests as the Sealpost server does (REPLY-WIRE
 * "Sender side"): the JWKS, the list of one envelope's replies with their signed receipts, each
 * reply's manifest and attachment objects, and a problem+json 404 for anything else. Replies are
 * sealed with the SDK's {@link ReplySealer} (as the viewer seals them) and their receipts signed
 * like the server's ({@link Replies#receipt}). Public through the sdk test-jar for the SDK client's
 * and the CLI's tests; a test may replace any route's bytes to tamper with it.
 */
public final class ReplyServer implements AutoCloseable {
  /** The receipt time and {@code received} of every listed reply. */
  public static final String RECEIVED = "2026-12-06T20:30:00Z";

  private final HttpServer server;
  private final Map<String, byte[]> routes = new ConcurrentHashMap<>();
  private final List<Map<String, Object>> listed = new ArrayList<>();
  private final String tenant;
  private final String envelopeId;
  private final String recipientId;

  private ReplyServer(String tenant, String envelopeId, String recipientId) throws IOException {
    this.tenant = tenant;
    this.envelopeId = envelopeId;
    this.recipientId = recipientId;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a server for one envelope and recipient of {@code tenant}. */
  public static ReplyServer start(String tenant, String envelopeId, String recipientId)
      throws IOException {
    return new ReplyServer(tenant, envelopeId, recipientId);
  }

  /** The server's base URI ({@code http://127.0.0.1:port/}). */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** The bytes served at {@code path}, for the test to change. */
  public Map<String, byte[]> routes() {
    return routes;
  }

  /** Publishes these signing keys (public parts) at {@code /.well-known/jwks.json}. */
  public void jwks(ECKey... keys) {
    List<JWK> pub = new ArrayList<>();
    for (ECKey k : keys) {
      pub.add(k.toPublicJWK());
    }
    routes.put(
        "/.well-known/jwks.json", new JWKSet(pub).toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The path of a reply's part, {@code part} being {@code manifest} or {@code attachments/<id>}.
   */
  public String path(String replyId, String part) {
    return "/v1/envelopes/" + envelopeId + "/replies/" + replyId + "/" + part;
  }

  /**
   * Seals a reply to {@code replyKey} with one attachment named {@code name} per plaintext, serves
   * its parts and adds it to the list, its receipt signed by {@code by}.
   */
  public SealedReply reply(
      ECKey by, JWK replyKey, String message, String name, byte[]... plaintexts) {
    ReplySealer sealer =
        ReplySealer.builder()
            .envelopeId(envelopeId)
            .recipientId(recipientId)
            .replyKeys(List.of(replyKey))
            .build();
    Map<String, byte[]> objects = new LinkedHashMap<>();
    try {
      for (byte[] p : plaintexts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        objects.put(
            sealer.attach(name, "application/pdf", new ByteArrayInputStream(p), out),
            out.toByteArray());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SealedReply sealed = sealer.seal(message);
    routes.put(path(sealed.replyId(), "manifest"), sealed.manifestBytes());
    objects.forEach((id, bytes) -> routes.put(path(sealed.replyId(), "attachments/" + id), bytes));

    List<Object> attachments = new ArrayList<>();
    objects.forEach((id, bytes) -> attachments.add(Map.of("id", id, "size", bytes.length)));
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("replyId", sealed.replyId());
    entry.put("recipientId", recipientId);
    entry.put("received", RECEIVED);
    entry.put("manifestSize", sealed.manifestBytes().length);
    entry.put("attachments", attachments);
    entry.put(
        "receipt",
        Replies.receipt(
            by,
            tenant,
            envelopeId,
            recipientId,
            sealed.replyId(),
            RECEIVED,
            sealed.manifestBytes(),
            objects));
    synchronized (listed) {
      listed.add(entry);
      routes.put(
          "/v1/envelopes/" + envelopeId + "/replies",
          JSONObjectUtils.toJSONString(Map.of("replies", listed)).getBytes(StandardCharsets.UTF_8));
    }
    return sealed;
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body = routes.get(ex.getRequestURI().getPath());
    int status = 200;
    if (body == null) {
      status = 404;
      body =
          ("{\"type\":\"https://sealpost.dev/problems/not-found\",\"title\":\"Not found\","
                  + "\"status\":404,\"detail\":\"no such envelope\"}")
              .getBytes(StandardCharsets.UTF_8);
    }
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
