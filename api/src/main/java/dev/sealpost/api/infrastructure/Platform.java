package dev.sealpost.api.infrastructure;

import dev.sealpost.api.application.AuditCheckpointer;
import dev.sealpost.api.application.AuditQueries;
import dev.sealpost.api.application.AuditRetention;
import dev.sealpost.api.application.Authentication;
import dev.sealpost.api.application.Bootstrap;
import dev.sealpost.api.application.EnvelopeIntake;
import dev.sealpost.api.application.EnvelopeQueries;
import dev.sealpost.api.application.EnvelopeRecording;
import dev.sealpost.api.application.ExpireEnvelopes;
import dev.sealpost.api.application.InboxQueries;
import dev.sealpost.api.application.NotificationRelay;
import dev.sealpost.api.application.OpenLink;
import dev.sealpost.api.application.PartnerKeys;
import dev.sealpost.api.application.PartnerRegistry;
import dev.sealpost.api.application.RecipientKeys;
import dev.sealpost.api.application.ReissueLink;
import dev.sealpost.api.application.RevokeEnvelope;
import dev.sealpost.api.application.SealEnvelope;
import dev.sealpost.api.application.SecretBox;
import dev.sealpost.api.application.TenantAdministration;
import dev.sealpost.api.domain.ApiKeyRepository;
import dev.sealpost.api.domain.ApiKeySecret;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.EnvelopeRepository;
import dev.sealpost.api.domain.IdempotencyStore;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.Mailer;
import dev.sealpost.api.domain.PartnerDirectory;
import dev.sealpost.api.domain.PublicBaseUrl;
import dev.sealpost.api.domain.SecretSealer;
import dev.sealpost.api.domain.TenantRepository;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.infrastructure.blobs.FileSystemBlobStore;
import dev.sealpost.api.infrastructure.blobs.S3BlobStore;
import dev.sealpost.api.infrastructure.config.BlobsConfig;
import dev.sealpost.api.infrastructure.config.ConfigException;
import dev.sealpost.api.infrastructure.config.Configuration;
import dev.sealpost.api.infrastructure.config.KeysConfig;
import dev.sealpost.api.infrastructure.config.MailConfig;
import dev.sealpost.api.infrastructure.config.PartnersConfig;
import dev.sealpost.api.infrastructure.jdbc.Database;
import dev.sealpost.api.infrastructure.jdbc.Jdbc;
import dev.sealpost.api.infrastructure.jdbc.JdbcApiKeyRepository;
import dev.sealpost.api.infrastructure.jdbc.JdbcAuditLog;
import dev.sealpost.api.infrastructure.jdbc.JdbcEnvelopeRepository;
import dev.sealpost.api.infrastructure.jdbc.JdbcExpiredEnvelopes;
import dev.sealpost.api.infrastructure.jdbc.JdbcIdempotencyStore;
import dev.sealpost.api.infrastructure.jdbc.JdbcNotificationOutbox;
import dev.sealpost.api.infrastructure.jdbc.JdbcOpenLinkRepository;
import dev.sealpost.api.infrastructure.jdbc.JdbcPartnerInbox;
import dev.sealpost.api.infrastructure.jdbc.JdbcPartnerRepository;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore;
import dev.sealpost.api.infrastructure.jdbc.JdbcTenantRepository;
import dev.sealpost.api.infrastructure.jdbc.JdbcTransactions;
import dev.sealpost.api.infrastructure.keys.KmsKeyService;
import dev.sealpost.api.infrastructure.keys.LocalKeyService;
import dev.sealpost.api.infrastructure.mail.OutboxMailer;
import dev.sealpost.api.infrastructure.mail.SmtpMailer;
import dev.sealpost.api.infrastructure.partners.HttpPartnerJwksFetcher;
import dev.sealpost.api.infrastructure.partners.NimbusPartnerKeyCheck;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Starts the server's parts in order when the application starts (configuration, database and
 * migrations, keys, blobs, the bootstrap tenant) and hands them out to CDI: {@code @Inject
 * KeyService keys}, {@code BlobStore}, {@code Transactions}, {@code AuditLog}, {@code Jdbc}, ...
 *
 * <p>Any failure is logged as one line and stops the start: the deployment fails and, unless {@code
 * sealpost.exit-on-start-failure=false} (tests), the process exits with status 78.
 */
@ApplicationScoped
public class Platform {
  private static final Logger LOG = Logger.getLogger(Platform.class.getName());

  @Inject Configuration configuration;

  private volatile Parts parts;

  /** Everything built at start; immutable afterwards. */
  record Parts(
      Database database,
      JdbcTransactions transactions,
      Jdbc jdbc,
      TenantRepository tenants,
      ApiKeyRepository apiKeys,
      AuditLog audit,
      KeyService keys,
      BlobStore blobs,
      TenantAdministration tenantAdministration,
      Authentication authentication,
      AuditQueries auditQueries,
      Clock clock,
      Envelopes envelopes,
      Partners partners,
      Consumer consumer) {}

  /** The consumer flow (issue 4): mail, the outbox relay, the link's second factor. */
  record Consumer(Mailer mailer, NotificationRelay relay, OpenLink openLink, ReissueLink reissue) {}

  /**
   * The relay's thread: one per instance, polling the outbox every second. A plain daemon thread
   * (not container-managed) because it only touches the application's own pool and mailer; it is
   * stopped with the application.
   */
  private volatile ScheduledExecutorService relayThread;

  private static Mailer mailer(MailConfig mail, Clock clock) throws IOException {
    if (mail.kind().equals(MailConfig.SMTP)) {
      return new SmtpMailer(
          mail.host().orElseThrow(),
          mail.port(),
          mail.user(),
          mail.password(),
          mail.from().orElseThrow(),
          mail.requireStartTls());
    }
    return new OutboxMailer(
        mail.outboxDir(), mail.from().orElse("no-reply@sealpost.invalid"), clock);
  }

  private static Consumer consumer(
      JdbcTransactions tx,
      Jdbc jdbc,
      TenantRepository tenants,
      KeyService keys,
      BlobStore blobs,
      AuditLog audit,
      Clock clock,
      Mailer mailer,
      EnvelopeRepository envelopes,
      PublicBaseUrl publicBaseUrl,
      Duration accessTokenTtl) {
    NotificationRelay relay =
        new NotificationRelay(
            tx,
            new JdbcNotificationOutbox(jdbc),
            new SecretBox(keys),
            mailer,
            audit,
            clock,
            publicBaseUrl,
            NotificationRelay.Policy.DEFAULT);
    JdbcOpenLinkRepository links = new JdbcOpenLinkRepository(jdbc);
    OpenLink openLink =
        new OpenLink(
            tx, links, envelopes, tenants, keys, blobs, mailer, audit, clock, accessTokenTtl);
    return new Consumer(
        mailer,
        relay,
        openLink,
        new ReissueLink(tx, envelopes, links, keys, blobs, clock, publicBaseUrl));
  }

  /** Partners and their inbox (issue 5). */
  record Partners(PartnerRegistry registry, PartnerKeys keys, InboxQueries inbox) {}

  /** The sender's envelope use cases (issue 3). */
  record Envelopes(
      EnvelopeRepository repository,
      IdempotencyStore idempotency,
      SealEnvelope seal,
      EnvelopeQueries queries,
      RevokeEnvelope revoke,
      SecretSealer secrets,
      PublicBaseUrl publicBaseUrl) {}

  /** {@code sealpost.envelope.max-bytes}: attachment plaintext per envelope, default 2 GiB. */
  static long envelopeMaxBytes() {
    String v =
        ConfigProvider.getConfig(Platform.class.getClassLoader())
            .getConfigValue("sealpost.envelope.max-bytes")
            .getValue();
    if (v == null || v.isBlank()) {
      return 2L * 1024 * 1024 * 1024;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(
          "sealpost.envelope.max-bytes", "must be a positive number of bytes");
    }
  }

  private static Envelopes envelopes(
      JdbcTransactions tx,
      Jdbc jdbc,
      TenantRepository tenants,
      KeyService keys,
      BlobStore blobs,
      AuditLog audit,
      Clock clock,
      String publicBaseUrl,
      PartnerDirectory partnerDirectory) {
    EnvelopeRepository repository = new JdbcEnvelopeRepository(jdbc);
    EnvelopeQueries queries = new EnvelopeQueries(tx, repository, clock);
    SecretSealer secrets = new SecretBox(keys);
    PublicBaseUrl baseUrl = new PublicBaseUrl(publicBaseUrl);
    return new Envelopes(
        repository,
        new JdbcIdempotencyStore(tx, jdbc),
        new SealEnvelope(
            new EnvelopeIntake(tx, tenants, partnerDirectory),
            new RecipientKeys(keys, secrets, baseUrl),
            new EnvelopeRecording(tx, repository, audit),
            keys,
            blobs,
            clock,
            envelopeMaxBytes()),
        queries,
        new RevokeEnvelope(tx, repository, queries, blobs, audit, clock),
        secrets,
        baseUrl);
  }

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    start();
  }

  /** Idempotent: builds the parts once. */
  public synchronized void start() {
    if (parts != null) {
      return;
    }
    long t0 = System.nanoTime();
    try {
      parts = build();
      startRelay(parts.consumer().relay());
    } catch (ConfigException e) {
      failStart("configuration error: " + e.getMessage(), null);
    } catch (RuntimeException | IOException e) {
      failStart(describe(e), e);
    }
    LOG.info(
        () ->
            "Sealpost started: data "
                + configuration.server().dataDir()
                + ", database "
                + (configuration.database().isPostgres() ? "PostgreSQL" : "H2")
                + ", blobs "
                + configuration.blobs().kind()
                + ", keys "
                + configuration.keys().kind()
                + " ("
                + (System.nanoTime() - t0) / 1_000_000
                + " ms)");
  }

  private void startRelay(NotificationRelay relay) {
    ScheduledExecutorService ses = daemonTimer("sealpost-notification-relay");
    ses.scheduleWithFixedDelay(relay::runOnce, 1, 1, TimeUnit.SECONDS);
    relayThread = ses;
  }

  private Parts build() throws IOException {
    configuration.load();
    Path dataDir = configuration.server().dataDir();
    Files.createDirectories(dataDir);
    Clock clock = Clock.systemUTC();

    Database database = Database.start(configuration.database());
    JdbcTransactions tx = new JdbcTransactions(database.dataSource());
    Jdbc jdbc = new Jdbc(tx);
    TenantRepository tenants = new JdbcTenantRepository(jdbc);
    ApiKeyRepository apiKeys = new JdbcApiKeyRepository(jdbc);
    KeyService keys = keyService(configuration.keys(), tx, new JdbcSigningKeyStore(jdbc), clock);
    JdbcAuditLog audit =
        new JdbcAuditLog(tx, jdbc, keys, clock, configuration.audit().checkpointEvery());
    startAuditCheckpoints(
        new AuditCheckpointer(tx, audit, clock, configuration.audit().checkpointInterval()),
        new AuditRetention(tx, audit, clock, configuration.audit().retention()));

    BlobStore blobs = blobStore(configuration.blobs());

    Bootstrap bootstrap = new Bootstrap(tx, tenants, apiKeys, keys, audit, clock);
    Optional<ApiKeySecret> preset = bootstrapKeySetting().map(ApiKeySecret::of);
    bootstrap.ensure(preset).ifPresent(key -> announceBootstrapKey(dataDir, key, preset.isEmpty()));

    TenantAdministration administration =
        new TenantAdministration(tx, tenants, apiKeys, keys, audit, clock);
    PartnersConfig partnersConfig = configuration.partners();
    JdbcPartnerRepository partnerRepository = new JdbcPartnerRepository(jdbc);
    NimbusPartnerKeyCheck partnerKeyCheck = new NimbusPartnerKeyCheck();
    HttpPartnerJwksFetcher jwksFetcher =
        new HttpPartnerJwksFetcher(
            partnersConfig.jwksTimeout(),
            partnersConfig.jwksMaxBytes(),
            partnersConfig.allowLoopbackJwksUri());
    Partners partners =
        new Partners(
            new PartnerRegistry(
                tx, partnerRepository, partnerKeyCheck, jwksFetcher, administration, audit, clock),
            new PartnerKeys(
                tx,
                partnerRepository,
                partnerKeyCheck,
                jwksFetcher,
                clock,
                partnersConfig.jwksTtl()),
            new InboxQueries(tx, new JdbcPartnerInbox(jdbc), blobs, audit, clock));

    startExpirySweep(
        new ExpireEnvelopes(
            tx,
            new JdbcExpiredEnvelopes(jdbc),
            new JdbcEnvelopeRepository(jdbc),
            blobs,
            audit,
            clock,
            configuration.expiry().sweepInterval()));

    Envelopes envelopes =
        envelopes(
            tx,
            jdbc,
            tenants,
            keys,
            blobs,
            audit,
            clock,
            configuration.server().publicBaseUrl().toString(),
            partners.keys());
    Mailer mailer = mailer(configuration.mail(), clock);
    return new Parts(
        database,
        tx,
        jdbc,
        tenants,
        apiKeys,
        audit,
        keys,
        blobs,
        administration,
        new Authentication(tx, apiKeys),
        new AuditQueries(tx, audit, audit, keys, clock),
        clock,
        envelopes,
        partners,
        consumer(
            tx,
            jdbc,
            tenants,
            keys,
            blobs,
            audit,
            clock,
            mailer,
            envelopes.repository(),
            new PublicBaseUrl(configuration.server().publicBaseUrl().toString()),
            configuration.open().accessTokenTtl()));
  }

  private static KeyService keyService(
      KeysConfig c, JdbcTransactions tx, JdbcSigningKeyStore store, Clock clock)
      throws IOException {
    if (c.kind().equals(KeysConfig.LOCAL)) {
      return LocalKeyService.open(c.keyringFile(), tx, store, clock);
    }
    KmsKeyService kms;
    try {
      kms =
          KmsKeyService.builder()
              .keyId(c.kmsKeyId().orElseThrow())
              .signingKeyId(c.kmsSigningKeyId().orElseThrow())
              .endpoint(c.kmsEndpoint())
              .signingKeys(tx, store)
              .clock(clock)
              .build();
    } catch (RuntimeException e) {
      throw new ConfigException(
          "sealpost.kms.key-id", "could not set up the KMS client (" + describe(e) + ")");
    }
    try {
      kms.checkKeys();
    } catch (KmsKeyService.StartCheckException e) {
      kms.close();
      throw new ConfigException(e.key(), "does not work: " + e.getMessage());
    }
    return kms;
  }

  private static BlobStore blobStore(BlobsConfig c) throws IOException {
    if (c.kind().equals(BlobsConfig.FILESYSTEM)) {
      return FileSystemBlobStore.open(c.directory());
    }
    S3BlobStore s3;
    try {
      s3 =
          S3BlobStore.builder()
              .bucket(c.bucket().orElseThrow())
              .region(c.region())
              .endpoint(c.endpoint())
              .pathStyle(c.pathStyle())
              .sseKmsKeyId(c.sseKmsKeyId())
              .build();
    } catch (RuntimeException e) {
      // the only setting the client itself can miss: no region here nor in the SDK's chain
      throw new ConfigException(
          "sealpost.s3.region", "is not set and the AWS SDK found none (" + describe(e) + ")");
    }
    try {
      s3.checkBucket();
    } catch (IllegalStateException e) {
      s3.close();
      throw new ConfigException("sealpost.s3.bucket", e.getMessage());
    }
    return s3;
  }

  private volatile ScheduledExecutorService auditTimer;
  private volatile ScheduledExecutorService expiryTimer;

  /**
   * Time-based audit checkpoints (every sealpost.audit.checkpoint-interval) and retention (hourly,
   * sealpost.audit.retention) on one daemon thread.
   */
  private void startAuditCheckpoints(AuditCheckpointer checkpointer, AuditRetention retention) {
    ScheduledExecutorService timer = daemonTimer("sealpost-audit-checkpoints");
    long ms = checkpointer.period().toMillis();
    timer.scheduleWithFixedDelay(checkpointer, ms, ms, TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(retention, 1, 60, TimeUnit.MINUTES);
    auditTimer = timer;
  }

  /** Every instance sweeps; claims are atomic, so they never expire the same envelope twice. */
  private void startExpirySweep(ExpireEnvelopes sweep) {
    ScheduledExecutorService timer = daemonTimer("sealpost-expiry-sweep");
    long ms = sweep.interval().toMillis();
    timer.scheduleWithFixedDelay(sweep, Math.min(ms, 5_000), ms, TimeUnit.MILLISECONDS);
    expiryTimer = timer;
  }

  /** One daemon thread for periodic work: it never holds the server open at shutdown. */
  private static ScheduledExecutorService daemonTimer(String threadName) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, threadName);
          t.setDaemon(true);
          return t;
        });
  }

  private static Optional<String> bootstrapKeySetting() {
    Optional<String> key =
        Optional.ofNullable(
                ConfigProvider.getConfig(Platform.class.getClassLoader())
                    .getConfigValue("sealpost.bootstrap-admin-key")
                    .getValue())
            .map(String::trim)
            .filter(v -> !v.isEmpty());
    if (key.isPresent() && (key.get().length() < 32 || key.get().length() > 200)) {
      throw new ConfigException(
          "sealpost.bootstrap-admin-key", "must be 32 to 200 characters long (a random secret)");
    }
    return key;
  }

  /** First start only: the key goes to stdout once (if generated) and to data/admin.key (0600). */
  private static void announceBootstrapKey(Path dataDir, ApiKeySecret key, boolean generated) {
    Path file = dataDir.resolve("admin.key");
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, key.reveal() + "\n", StandardCharsets.UTF_8);
    } catch (FileAlreadyExistsException e) {
      LOG.warning(file + " exists already; not overwritten");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (generated) {
      System.out.println(
          "Sealpost bootstrap ADMIN key (shown once; also in " + file + "): " + key.reveal());
    }
  }

  private void failStart(String line, Throwable cause) {
    String message = "Sealpost cannot start: " + line;
    LOG.severe(message);
    if (cause != null) {
      LOG.log(Level.FINE, "start failure detail", cause);
    }
    boolean exit = true;
    try {
      exit = configuration.server().exitOnStartFailure();
    } catch (RuntimeException ignored) {
      // the setting itself may be what is wrong: exit, as by default
    }
    if (exit) {
      System.err.println(message);
      // Exit from another thread: the deployment thread must not block in shutdown hooks.
      Thread t = new Thread(() -> System.exit(78), "sealpost-exit");
      t.start();
    }
    throw new IllegalStateException(message);
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return msg.lines().findFirst().orElse(msg);
  }

  private Parts parts() {
    Parts p = parts;
    if (p == null) {
      throw new IllegalStateException("Sealpost has not started");
    }
    return p;
  }

  public boolean started() {
    return parts != null;
  }

  @PreDestroy
  void stop() {
    ScheduledExecutorService relay = relayThread;
    if (relay != null) {
      relay.shutdownNow();
      try {
        relay.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ScheduledExecutorService timer = auditTimer;
    if (timer != null) {
      timer.shutdownNow();
    }
    ScheduledExecutorService sweep = expiryTimer;
    if (sweep != null) {
      sweep.shutdownNow();
    }
    Parts p = parts;
    if (p != null) {
      p.database().close();
    }
  }

  public Database database() {
    return parts().database();
  }

  public Configuration configuration() {
    return configuration;
  }

  @Produces
  public Transactions transactions() {
    return parts().transactions();
  }

  @Produces
  public Jdbc jdbc() {
    return parts().jdbc();
  }

  @Produces
  public TenantRepository tenants() {
    return parts().tenants();
  }

  @Produces
  public ApiKeyRepository apiKeys() {
    return parts().apiKeys();
  }

  @Produces
  public AuditLog auditLog() {
    return parts().audit();
  }

  @Produces
  public KeyService keyService() {
    return parts().keys();
  }

  @Produces
  public BlobStore blobStore() {
    return parts().blobs();
  }

  @Produces
  public TenantAdministration tenantAdministration() {
    return parts().tenantAdministration();
  }

  @Produces
  public Authentication authentication() {
    return parts().authentication();
  }

  @Produces
  public AuditQueries auditQueries() {
    return parts().auditQueries();
  }

  @Produces
  public Clock clock() {
    return parts().clock();
  }

  @Produces
  public EnvelopeRepository envelopeRepository() {
    return parts().envelopes().repository();
  }

  @Produces
  public IdempotencyStore idempotencyStore() {
    return parts().envelopes().idempotency();
  }

  @Produces
  public SealEnvelope sealEnvelope() {
    return parts().envelopes().seal();
  }

  @Produces
  public SecretSealer secretSealer() {
    return parts().envelopes().secrets();
  }

  @Produces
  public PublicBaseUrl publicBaseUrl() {
    return parts().envelopes().publicBaseUrl();
  }

  @Produces
  public EnvelopeQueries envelopeQueries() {
    return parts().envelopes().queries();
  }

  @Produces
  public RevokeEnvelope revokeEnvelope() {
    return parts().envelopes().revoke();
  }

  @Produces
  public PartnerRegistry partnerRegistry() {
    return parts().partners().registry();
  }

  @Produces
  public PartnerKeys partnerKeys() {
    return parts().partners().keys();
  }

  @Produces
  public InboxQueries inboxQueries() {
    return parts().partners().inbox();
  }

  @Produces
  public Mailer mailer() {
    return parts().consumer().mailer();
  }

  @Produces
  public NotificationRelay notificationRelay() {
    return parts().consumer().relay();
  }

  @Produces
  public OpenLink openLink() {
    return parts().consumer().openLink();
  }

  @Produces
  public ReissueLink reissueLink() {
    return parts().consumer().reissue();
  }
}
