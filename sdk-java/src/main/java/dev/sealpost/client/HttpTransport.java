package dev.sealpost.client;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.exception.ClientException;
import dev.sealpost.exception.ServiceException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The HTTP side of {@link EnvelopeClient}: authentication, request ids, timeouts, bounded retries
 * with exponential backoff and full jitter on 429 and 503 (honouring {@code Retry-After} up to a
 * bound) and on connections that could not be made, and problem+json errors as {@link
 * ServiceException}. Not API.
 */
final class HttpTransport implements AutoCloseable {
  static final long MAX_TEXT_BYTES = 48L << 20;
  private static final int MAX_PROBLEM_BYTES = 64 * 1024;

  private final URI base;
  private final String apiKey;
  private final Duration requestTimeout;
  private final int maxRetries;
  private final Duration baseDelay;
  private final Duration maxRetryAfter;
  private final String userAgent;
  private final ExecutorService executor;
  private final HttpClient http;
  private volatile boolean closed;

  HttpTransport(
      URI endpoint,
      String apiKey,
      Duration connectTimeout,
      Duration requestTimeout,
      int maxRetries,
      Duration baseDelay,
      Duration maxRetryAfter,
      String userAgent) {
    String s = endpoint.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.apiKey = apiKey;
    this.requestTimeout = requestTimeout;
    this.maxRetries = maxRetries;
    this.baseDelay = baseDelay;
    this.maxRetryAfter = maxRetryAfter;
    this.userAgent = userAgent;
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "sealpost-client");
              t.setDaemon(true);
              return t;
            });
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
  }

  URI resolve(String relative) {
    return base.resolve(relative);
  }

  /** A response whose status is 2xx; the caller closes {@link #body}. */
  static final class Answer {
    final int status;
    final InputStream body;
    final long contentLength;
    final String requestId;

    Answer(int status, InputStream body, long contentLength, String requestId) {
      this.status = status;
      this.body = body;
      this.contentLength = contentLength;
      this.requestId = requestId;
    }
  }

  /**
   * Sends the request (with retries when {@code retryable}, or always for connections that could
   * not be made) and answers a 2xx response; anything else becomes a {@link ServiceException}.
   */
  Answer send(HttpRequest.Builder request, boolean retryable, boolean authenticated) {
    if (closed) {
      throw new IllegalStateException("the client is closed");
    }
    String requestId = UUID.randomUUID().toString();
    request
        .timeout(requestTimeout)
        .header("User-Agent", userAgent)
        .header("X-Request-Id", requestId);
    if (authenticated) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    HttpRequest built = request.build();
    for (int attempt = 0; ; attempt++) {
      HttpResponse<InputStream> response;
      try {
        response = http.send(built, HttpResponse.BodyHandlers.ofInputStream());
      } catch (HttpConnectTimeoutException | ConnectException e) {
        if (attempt < maxRetries) {
          sleep(backoff(attempt));
          continue;
        }
        throw new ClientException(
            "could not connect to " + built.uri().getHost() + ": " + describe(e), e);
      } catch (HttpTimeoutException e) {
        throw new ClientException("the server did not answer in time (" + requestTimeout + ")", e);
      } catch (IOException e) {
        throw new ClientException("request to the server failed: " + describe(e), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClientException("interrupted", e);
      }
      int status = response.statusCode();
      String echoed = response.headers().firstValue("X-Request-Id").orElse(null);
      String rid = echoed != null ? echoed : requestId;
      if (status >= 200 && status < 300) {
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1L);
        return new Answer(status, response.body(), length, rid);
      }
      if ((status == 429 || status == 503) && retryable && attempt < maxRetries) {
        Duration wait = retryAfter(response).orElse(backoff(attempt));
        if (wait.compareTo(maxRetryAfter) <= 0) {
          closeQuietly(response.body());
          sleep(wait);
          continue;
        }
      }
      throw problem(status, response.body(), echoed, requestId);
    }
  }

  /** The whole 2xx body as UTF-8 text (bounded). */
  String text(HttpRequest.Builder request, boolean retryable) {
    Answer a = send(request, retryable, true);
    try (InputStream in = a.body) {
      byte[] bytes = in.readNBytes((int) MAX_TEXT_BYTES + 1);
      if (bytes.length > MAX_TEXT_BYTES) {
        throw new ClientException("the server's answer is larger than expected");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ClientException("reading the server's answer failed: " + describe(e), e);
    }
  }

  /** The 2xx body as a JSON object. */
  Map<String, Object> json(HttpRequest.Builder request, boolean retryable) {
    String text = text(request, retryable);
    try {
      return JSONObjectUtils.parse(text);
    } catch (ParseException e) {
      throw new ClientException("the server's answer is not a JSON object");
    }
  }

  /**
   * The request id is the server's: its {@code X-Request-Id} header, else the problem's {@code
   * requestId} member (a proxy may drop headers), else the one this client sent.
   */
  static ServiceException problem(int status, InputStream body, String echoed, String sent) {
    String requestId = echoed != null ? echoed : sent;
    String type = "about:blank";
    String message = "HTTP " + status;
    String field = null;
    try (InputStream in = body) {
      byte[] bytes = in.readNBytes(MAX_PROBLEM_BYTES);
      Map<String, Object> p = JSONObjectUtils.parse(new String(bytes, StandardCharsets.UTF_8));
      if (p.get("type") instanceof String) {
        type = (String) p.get("type");
      }
      String title = p.get("title") instanceof String ? (String) p.get("title") : null;
      String detail = p.get("detail") instanceof String ? (String) p.get("detail") : null;
      if (p.get("field") instanceof String) {
        field = (String) p.get("field");
      }
      if (echoed == null && p.get("requestId") instanceof String) {
        requestId = (String) p.get("requestId");
      }
      message =
          "HTTP "
              + status
              + (title == null ? "" : " " + title)
              + (detail == null ? "" : ": " + detail);
    } catch (IOException | ParseException | RuntimeException e) {
      // not problem+json: the status alone
    }
    return new ServiceException(
        status, type, message + " (request " + requestId + ")", requestId, field);
  }

  /** {@code Retry-After} as delta-seconds or an HTTP date. */
  static java.util.Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").flatMap(HttpTransport::parseRetryAfter);
  }

  static java.util.Optional<Duration> parseRetryAfter(String value) {
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0
          ? java.util.Optional.empty()
          : java.util.Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(Instant.now(), at);
        return java.util.Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException e2) {
        return java.util.Optional.empty();
      }
    }
  }

  /** Full jitter: uniform in [0, base * 2^attempt], capped at 20 s. */
  Duration backoff(int attempt) {
    long cap = Math.min(20_000L, baseDelay.toMillis() << Math.min(attempt, 16));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted while waiting to retry", e);
    }
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // the body of a response we retry is not needed
    }
  }

  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
  }
}
