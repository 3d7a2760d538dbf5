package dev.sealpost.api.infrastructure.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * General settings: {@code sealpost.data-dir} (default {@code ./data}), {@code
 * sealpost.public-base-url} (default {@code http://localhost:<sealpost.port>}), {@code
 * sealpost.trusted-proxies} (comma-separated IP addresses or CIDR blocks whose X-Forwarded-For and
 * X-Forwarded-Proto are believed; default none), {@code sealpost.rate-limit.per-minute} (per API
 * key, default 600), {@code sealpost.exit-on-start-failure} (default true: a process without a
 * working application must not look alive), {@code sealpost.log.format} ({@code plain}, the
 * default, or {@code json}: one JSON object per log line, issue 16), {@code
 * sealpost.bench.endpoint} (default false: {@code GET /v1/bench/noop}, the trivial authenticated
 * endpoint benchmarks/http.sh measures seal and open against, answers 404 unless this is true).
 */
public record ServerConfig(
    Path dataDir,
    URI publicBaseUrl,
    List<String> trustedProxies,
    int rateLimitPerMinute,
    boolean exitOnStartFailure,
    boolean jsonLogs,
    boolean benchEndpoint) {

  /** Without a log format: plain text. */
  public ServerConfig(
      Path dataDir,
      URI publicBaseUrl,
      List<String> trustedProxies,
      int rateLimitPerMinute,
      boolean exitOnStartFailure) {
    this(
        dataDir,
        publicBaseUrl,
        trustedProxies,
        rateLimitPerMinute,
        exitOnStartFailure,
        false,
        false);
  }

  public static ServerConfig from(Settings s) {
    Path dataDir = Path.of(s.string("sealpost.data-dir", "./data")).toAbsolutePath().normalize();
    int port = s.integer("sealpost.port", 8080, 1, 65535);
    URI base = s.httpUri("sealpost.public-base-url").orElse(URI.create("http://localhost:" + port));
    List<String> proxies =
        Arrays.stream(s.string("sealpost.trusted-proxies", "").split(","))
            .map(String::trim)
            .filter(p -> !p.isEmpty())
            .toList();
    for (String p : proxies) {
      if (!p.matches("[0-9a-fA-F:.]+(/[0-9]{1,3})?")) {
        throw new ConfigException(
            "sealpost.trusted-proxies", "must list IP addresses or CIDR blocks (got '" + p + "')");
      }
    }
    int rate = s.integer("sealpost.rate-limit.per-minute", 600, 1, 1_000_000);
    boolean exit = s.bool("sealpost.exit-on-start-failure", true);
    boolean json = s.oneOf("sealpost.log.format", "plain", List.of("plain", "json")).equals("json");
    boolean bench = s.bool("sealpost.bench.endpoint", false);
    return new ServerConfig(dataDir, base, proxies, rate, exit, json, bench);
  }
}
