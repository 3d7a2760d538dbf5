package dev.sealpost.api.infrastructure.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
  private static final Path DATA = Path.of("/srv/sealpost-data");

  private static ConfigException failure(Runnable r) {
    try {
      r.run();
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException");
  }

  @Test
  void defaults_areTheEmbeddedOnes() {
    Settings s = Settings.of(Map.of("sealpost.data-dir", DATA.toString()));
    ServerConfig server = ServerConfig.from(s);
    assertThat(server.dataDir()).isEqualTo(DATA);
    assertThat(server.publicBaseUrl().toString()).isEqualTo("http://localhost:8080");
    assertThat(DatabaseConfig.from(s, DATA).url()).startsWith("jdbc:h2:file:" + DATA.resolve("db"));
    assertThat(BlobsConfig.from(s, DATA).kind()).isEqualTo("filesystem");
    assertThat(KeysConfig.from(s, DATA).keyringFile()).isEqualTo(DATA.resolve("keyring.json"));
    assertThat(MailConfig.from(s, DATA).outboxDir()).isEqualTo(DATA.resolve("outbox"));
    assertThat(ExpiryConfig.from(s).sweepInterval()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void unknownBlobStore_failsWithOneLineNamingTheKey() {
    ConfigException e =
        failure(() -> BlobsConfig.from(Settings.of(Map.of("sealpost.blobs", "nonsense")), DATA));
    assertThat(e.key()).isEqualTo("sealpost.blobs");
    assertThat(e.getMessage())
        .startsWith("sealpost.blobs ")
        .contains("filesystem, s3")
        .contains("nonsense")
        .doesNotContain("\n");
  }

  @Test
  void s3WithoutBucket_namesTheBucketKey() {
    assertThat(
            failure(() -> BlobsConfig.from(Settings.of(Map.of("sealpost.blobs", "s3")), DATA))
                .key())
        .isEqualTo("sealpost.s3.bucket");
    assertThat(
            BlobsConfig.from(
                    Settings.of(
                        Map.of(
                            "sealpost.blobs", "s3",
                            "sealpost.s3.bucket", "sealpost-blobs",
                            "sealpost.s3.endpoint", "http://127.0.0.1:9000",
                            "sealpost.s3.path-style", "true")),
                    DATA)
                .pathStyle())
        .isTrue();
    assertThat(
            failure(
                    () ->
                        BlobsConfig.from(
                            Settings.of(
                                Map.of(
                                    "sealpost.blobs", "s3",
                                    "sealpost.s3.bucket", "b-1",
                                    "sealpost.s3.endpoint", "not a url")),
                            DATA))
                .key())
        .isEqualTo("sealpost.s3.endpoint");
  }

  @Test
  void kmsWithoutKeyIds_namesEachKey() {
    assertThat(
            failure(() -> KeysConfig.from(Settings.of(Map.of("sealpost.keys", "aws-kms")), DATA))
                .key())
        .isEqualTo("sealpost.kms.key-id");
    // per-tenant KMS signing keys (issue 13): the shared signing key is optional, legacy only
    assertThat(
            KeysConfig.from(
                    Settings.of(Map.of("sealpost.keys", "aws-kms", "sealpost.kms.key-id", "k")),
                    DATA)
                .kmsSigningKeyId())
        .isEmpty();
    assertThat(
            failure(() -> KeysConfig.from(Settings.of(Map.of("sealpost.keys", "vault")), DATA))
                .key())
        .isEqualTo("sealpost.keys");
  }

  @Test
  void smtpSettings_areChecked() {
    assertThat(
            failure(() -> MailConfig.from(Settings.of(Map.of("sealpost.mail", "smtp")), DATA))
                .key())
        .isEqualTo("sealpost.smtp.host");
    assertThat(
            failure(
                    () ->
                        MailConfig.from(
                            Settings.of(
                                Map.of(
                                    "sealpost.mail", "smtp",
                                    "sealpost.smtp.host", "email-smtp.example",
                                    "sealpost.smtp.from", "noreply@example.com",
                                    "sealpost.smtp.port", "99999")),
                            DATA))
                .key())
        .isEqualTo("sealpost.smtp.port");
    MailConfig ok =
        MailConfig.from(
            Settings.of(
                Map.of(
                    "sealpost.mail", "smtp",
                    "sealpost.smtp.host", "email-smtp.example",
                    "sealpost.smtp.from", "noreply@example.com",
                    "sealpost.smtp.password", "hunter2")),
            DATA);
    assertThat(ok.requireStartTls()).isTrue();
    assertThat(ok.toString()).doesNotContain("hunter2");
  }

  @Test
  void databaseSettings_areChecked() {
    assertThat(
            failure(
                    () ->
                        DatabaseConfig.from(
                            Settings.of(Map.of("sealpost.db.url", "jdbc:mysql://x/y")), DATA))
                .key())
        .isEqualTo("sealpost.db.url");
    assertThat(
            failure(
                    () ->
                        DatabaseConfig.from(
                            Settings.of(Map.of("sealpost.db.url", "jdbc:postgresql://db/sealpost")),
                            DATA))
                .key())
        .isEqualTo("sealpost.db.user");
    DatabaseConfig pg =
        DatabaseConfig.from(
            Settings.of(
                Map.of(
                    "sealpost.db.url", "jdbc:postgresql://db/sealpost",
                    "sealpost.db.user", "sealpost",
                    "sealpost.db.password", "s3cret")),
            DATA);
    assertThat(pg.isPostgres()).isTrue();
    assertThat(pg.toString()).doesNotContain("s3cret");
    assertThat(
            failure(
                    () ->
                        DatabaseConfig.from(
                            Settings.of(Map.of("sealpost.db.schema", "x; DROP")), DATA))
                .key())
        .isEqualTo("sealpost.db.schema");
  }

  @Test
  void otherSettings_areChecked() {
    assertThat(
            failure(
                    () ->
                        ExpiryConfig.from(
                            Settings.of(Map.of("sealpost.expiry.sweep-interval", "1 minute"))))
                .key())
        .isEqualTo("sealpost.expiry.sweep-interval");
    assertThat(
            failure(
                    () ->
                        ExpiryConfig.from(
                            Settings.of(Map.of("sealpost.expiry.sweep-interval", "-PT1M"))))
                .key())
        .isEqualTo("sealpost.expiry.sweep-interval");
    assertThat(
            failure(
                    () ->
                        ServerConfig.from(
                            Settings.of(Map.of("sealpost.public-base-url", "ftp://x"))))
                .key())
        .isEqualTo("sealpost.public-base-url");
    assertThat(
            failure(() -> ServerConfig.from(Settings.of(Map.of("sealpost.port", "eighty")))).key())
        .isEqualTo("sealpost.port");
    assertThat(
            failure(
                    () ->
                        ServerConfig.from(
                            Settings.of(Map.of("sealpost.trusted-proxies", "proxy.example"))))
                .key())
        .isEqualTo("sealpost.trusted-proxies");
    assertThat(
            failure(
                    () ->
                        ServerConfig.from(
                            Settings.of(Map.of("sealpost.exit-on-start-failure", "maybe"))))
                .key())
        .isEqualTo("sealpost.exit-on-start-failure");
  }

  @Test
  void accessTokenTtl_defaultsToTenMinutes_andIsChecked() {
    assertThat(OpenConfig.from(Settings.of(Map.of())).accessTokenTtl())
        .isEqualTo(java.time.Duration.ofMinutes(10));
    assertThat(
            OpenConfig.from(Settings.of(Map.of("sealpost.open.access-token-ttl", "PT30S")))
                .accessTokenTtl())
        .isEqualTo(java.time.Duration.ofSeconds(30));
    for (String bad : new String[] {"10 minutes", "PT0S", "-PT1M", "PT2H"}) {
      ConfigException e =
          failure(
              () -> OpenConfig.from(Settings.of(Map.of("sealpost.open.access-token-ttl", bad))));
      assertThat(e.key()).as(bad).isEqualTo("sealpost.open.access-token-ttl");
      assertThat(e.getMessage())
          .as(bad)
          .contains("sealpost.open.access-token-ttl")
          .doesNotContain("\n");
    }
  }

  @Test
  void idempotencyTtl_defaultsToADay_andIsCheckedInOneLine() {
    assertThat(IdempotencyConfig.from(Settings.of(Map.of())).ttl()).isEqualTo(Duration.ofHours(24));
    assertThat(IdempotencyConfig.from(Settings.of(Map.of("sealpost.idempotency.ttl", "P7D"))).ttl())
        .isEqualTo(Duration.ofDays(7));
    assertThat(
            IdempotencyConfig.from(Settings.of(Map.of("sealpost.idempotency.ttl", "PT1H"))).ttl())
        .isEqualTo(Duration.ofHours(1));
    for (String bad : new String[] {"24 hours", "PT0S", "-PT24H", "PT59M", "P8D", "P36500D"}) {
      ConfigException e =
          failure(
              () -> IdempotencyConfig.from(Settings.of(Map.of("sealpost.idempotency.ttl", bad))));
      assertThat(e.key()).as(bad).isEqualTo("sealpost.idempotency.ttl");
      assertThat(e.getMessage())
          .as(bad)
          .startsWith("sealpost.idempotency.ttl")
          .doesNotContain("\n");
    }
  }

  @Test
  void envelopeMaxExpiry_defaultsToTwoYears_andIsCheckedInOneLine() {
    assertThat(EnvelopeExpiryConfig.from(Settings.of(Map.of())).maxExpiry())
        .isEqualTo(Duration.ofDays(730));
    Map<String, Duration> good =
        Map.of(
            "P2Y", Duration.ofDays(730),
            "P90D", Duration.ofDays(90),
            "P1Y6M", Duration.ofDays(545),
            "PT36H", Duration.ofHours(36),
            "P10Y", Duration.ofDays(3650));
    good.forEach(
        (value, expected) ->
            assertThat(
                    EnvelopeExpiryConfig.from(
                            Settings.of(Map.of("sealpost.envelope.max-expiry", value)))
                        .maxExpiry())
                .as(value)
                .isEqualTo(expected));
    for (String bad :
        new String[] {
          "two years", "P0D", "-P2Y", "PT1H", "P11Y", "P36500D", "PT2562047788015215H"
        }) {
      ConfigException e =
          failure(
              () ->
                  EnvelopeExpiryConfig.from(
                      Settings.of(Map.of("sealpost.envelope.max-expiry", bad))));
      assertThat(e.key()).as(bad).isEqualTo("sealpost.envelope.max-expiry");
      assertThat(e.getMessage())
          .as(bad)
          .startsWith("sealpost.envelope.max-expiry")
          .doesNotContain("\n");
    }
  }

  @Test
  void blankValues_countAsUnset() {
    assertThat(BlobsConfig.from(Settings.of(Map.of("sealpost.blobs", "  ")), DATA).kind())
        .isEqualTo("filesystem");
  }

  @Test
  void failingMessages_throughAssertJ() {
    assertThatThrownBy(
            () -> BlobsConfig.from(Settings.of(Map.of("sealpost.blobs", "nonsense")), DATA))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("sealpost.blobs");
  }
}
