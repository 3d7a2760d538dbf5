package dev.sealpost.api.infrastructure.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * All of the server's settings, read once from MicroProfile Config (system properties, {@code
 * SEALPOST_*} environment variables, microprofile-config.properties) and validated together: the
 * first wrong or missing one throws a {@link ConfigException} naming its key.
 */
@ApplicationScoped
public class Configuration {
  private final Config config;
  private ServerConfig server;
  private DatabaseConfig database;
  private BlobsConfig blobs;
  private KeysConfig keys;
  private MailConfig mail;
  private ExpiryConfig expiry;
  private PartnersConfig partners;
  private AuditConfig audit;
  private OpenConfig open;
  private EnvelopeConfig envelope;
  private SealHashConfig sealHash;
  private BootstrapConfig bootstrap;
  private ReissueConfig reissue;
  private IdempotencyConfig idempotency;
  private EnvelopeExpiryConfig envelopeExpiry;
  private WebhooksConfig webhooks;
  private ReplyConfig reply;

  @Inject
  public Configuration(Config config) {
    this.config = config;
  }

  /** Reads and checks everything; called first at start. */
  public synchronized void load() {
    if (server != null) {
      return;
    }
    Settings s = Settings.of(key -> readRaw(config, key));
    ServerConfig srv = ServerConfig.from(s);
    database = DatabaseConfig.from(s, srv.dataDir());
    blobs = BlobsConfig.from(s, srv.dataDir());
    keys = KeysConfig.from(s, srv.dataDir());
    mail = MailConfig.from(s, srv.dataDir());
    expiry = ExpiryConfig.from(s);
    partners = PartnersConfig.from(s);
    audit = AuditConfig.from(s);
    open = OpenConfig.from(s);
    envelope = EnvelopeConfig.from(s);
    sealHash = SealHashConfig.from(s);
    bootstrap = BootstrapConfig.from(s);
    reissue = ReissueConfig.from(s);
    idempotency = IdempotencyConfig.from(s);
    envelopeExpiry = EnvelopeExpiryConfig.from(s);
    webhooks = WebhooksConfig.from(s);
    reply = ReplyConfig.from(s);
    server = srv;
  }

  private static Optional<String> readRaw(Config config, String key) {
    // getConfigValue does not convert, so a malformed value reaches our own checks and messages.
    return Optional.ofNullable(config.getConfigValue(key).getValue());
  }

  public ServerConfig server() {
    load();
    return server;
  }

  public DatabaseConfig database() {
    load();
    return database;
  }

  public BlobsConfig blobs() {
    load();
    return blobs;
  }

  public KeysConfig keys() {
    load();
    return keys;
  }

  public MailConfig mail() {
    load();
    return mail;
  }

  public ExpiryConfig expiry() {
    load();
    return expiry;
  }

  public PartnersConfig partners() {
    load();
    return partners;
  }

  public AuditConfig audit() {
    load();
    return audit;
  }

  public OpenConfig open() {
    load();
    return open;
  }

  public EnvelopeConfig envelope() {
    load();
    return envelope;
  }

  public SealHashConfig sealHash() {
    load();
    return sealHash;
  }

  public BootstrapConfig bootstrap() {
    load();
    return bootstrap;
  }

  public ReplyConfig reply() {
    load();
    return reply;
  }

  public ReissueConfig reissue() {
    load();
    return reissue;
  }

  public IdempotencyConfig idempotency() {
    load();
    return idempotency;
  }

  public EnvelopeExpiryConfig envelopeExpiry() {
    load();
    return envelopeExpiry;
  }

  public WebhooksConfig webhooks() {
    load();
    return webhooks;
  }
}
