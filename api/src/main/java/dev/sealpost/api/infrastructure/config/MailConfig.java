package dev.sealpost.api.infrastructure.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code sealpost.mail=outbox|smtp} (default outbox: {@code .eml} files in {@code
 * <data-dir>/outbox}); for smtp: {@code sealpost.smtp.host} and {@code sealpost.smtp.from}
 * (required), {@code .port} (default 587), {@code .user}, {@code .password}, {@code
 * sealpost.smtp.starttls=required|relaxed} (default required); {@code sealpost.mail.relay-lease}
 * (default PT2M): how long the relay holds a notification it is sending before another attempt
 * (after a crash) may send it again; keep it above the SMTP timeouts (15 s connect, 30 s read).
 */
public record MailConfig(
    String kind,
    Path outboxDir,
    Optional<String> host,
    int port,
    Optional<String> user,
    Optional<String> password,
    Optional<String> from,
    boolean requireStartTls,
    Duration relayLease) {

  public static final String OUTBOX = "outbox";
  public static final String SMTP = "smtp";

  @Override
  public String toString() {
    return "MailConfig[kind=" + kind + ", host=" + host + ", port=" + port + "]";
  }

  public static MailConfig from(Settings s, Path dataDir) {
    String kind = s.oneOf("sealpost.mail", OUTBOX, List.of(OUTBOX, SMTP));
    Optional<String> host = s.optional("sealpost.smtp.host");
    Optional<String> from = s.optional("sealpost.smtp.from");
    if (kind.equals(SMTP)) {
      if (host.isEmpty()) {
        throw new ConfigException("sealpost.smtp.host", "is required when sealpost.mail=smtp");
      }
      if (from.isEmpty()) {
        throw new ConfigException("sealpost.smtp.from", "is required when sealpost.mail=smtp");
      }
    }
    if (from.isPresent() && !from.get().matches("[^@\\s]+@[^@\\s]+")) {
      throw new ConfigException(
          "sealpost.smtp.from", "must be an email address (got '" + from.get() + "')");
    }
    int port = s.integer("sealpost.smtp.port", 587, 1, 65535);
    boolean starttls =
        s.oneOf("sealpost.smtp.starttls", "required", List.of("required", "relaxed"))
            .equals("required");
    return new MailConfig(
        kind,
        dataDir.resolve("outbox"),
        host,
        port,
        s.optional("sealpost.smtp.user"),
        s.optional("sealpost.smtp.password"),
        from,
        starttls,
        s.positiveDuration("sealpost.mail.relay-lease", Duration.ofMinutes(2)));
  }
}
