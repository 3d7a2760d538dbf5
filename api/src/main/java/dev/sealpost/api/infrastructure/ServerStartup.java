package dev.sealpost.api.infrastructure;

import dev.sealpost.api.application.Bootstrap;
import dev.sealpost.api.domain.ApiKeySecret;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.Mailer;
import dev.sealpost.api.infrastructure.config.ConfigException;
import dev.sealpost.api.infrastructure.config.Configuration;
import dev.sealpost.api.infrastructure.jdbc.Database;
import dev.sealpost.api.infrastructure.logging.LogFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the server when the application starts, in order: configuration (every setting checked),
 * the database and its migrations, the keys, the blob store, the bootstrap tenant, the mailer, then
 * the background work. The adapters are CDI beans created on first use; this is where first use
 * happens, so a wrong setting or an unreachable service fails here and not at the first request.
 *
 * <p>Any failure is logged as one line and stops the start: the deployment fails and, unless {@code
 * sealpost.exit-on-start-failure=false} (tests), the process exits with status 78.
 */
@ApplicationScoped
public class ServerStartup {
  private static final Logger LOG = Logger.getLogger(ServerStartup.class.getName());

  private final Configuration configuration;
  private final Database database;
  private final KeyService keys;
  private final BlobStore blobs;
  private final Mailer mailer;
  private final Bootstrap bootstrap;
  private final BackgroundScheduler scheduler;
  private volatile boolean started;

  @Inject
  public ServerStartup(
      Configuration configuration,
      Database database,
      KeyService keys,
      BlobStore blobs,
      Mailer mailer,
      Bootstrap bootstrap,
      BackgroundScheduler scheduler) {
    this.configuration = configuration;
    this.database = database;
    this.keys = keys;
    this.blobs = blobs;
    this.mailer = mailer;
    this.bootstrap = bootstrap;
    this.scheduler = scheduler;
  }

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    start();
  }

  /** Stops the background work before the context closes the pool and clients it uses. */
  void onStop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
    if (started) {
      scheduler.stop();
    }
    LogFormat.restore();
  }

  /** Idempotent. */
  public synchronized void start() {
    if (started) {
      return;
    }
    long t0 = System.nanoTime();
    try {
      configuration.load();
      if (configuration.server().jsonLogs()) {
        LogFormat.useJson();
      }
      Path dataDir = configuration.server().dataDir();
      Files.createDirectories(dataDir);
      database.dataSource();
      create(keys);
      create(blobs);
      Optional<ApiKeySecret> preset = configuration.bootstrap().presetAdminKey();
      bootstrap
          .ensure(preset)
          .ifPresent(
              key ->
                  announceBootstrapKey(
                      dataDir, key, preset.isEmpty() && !configuration.server().jsonLogs()));
      create(mailer);
      scheduler.start();
      started = true;
    } catch (RuntimeException | IOException e) {
      ConfigException config = configFailure(e);
      if (config != null) {
        failStart("configuration error: " + config.getMessage(), null);
      } else {
        failStart(ConfigException.describe(e), e);
      }
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

  public boolean started() {
    return started;
  }

  /**
   * A client proxy creates its bean on the first call; {@code toString()} is the call that does
   * nothing else. The producers open and check the adapter (KMS keys, S3 bucket) as they create it.
   */
  private static void create(Object bean) {
    bean.toString();
  }

  private static ConfigException configFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConfigException c) {
        return c;
      }
    }
    return null;
  }

  /**
   * First start only: the key goes to data/admin.key (0600) and, if generated and the log is plain
   * text (a laptop's ./run.sh), to stdout once; a JSON log is collected, so it never holds the key.
   */
  private static void announceBootstrapKey(Path dataDir, ApiKeySecret key, boolean print) {
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
    if (print) {
      System.out.println(
          "Sealpost bootstrap ADMIN key (shown once; also in " + file + "): " + key.reveal());
    }
  }

  private boolean jsonLogs() {
    try {
      return configuration.server().jsonLogs();
    } catch (RuntimeException e) {
      return false;
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
      if (!jsonLogs()) {
        System.err.println(message); // also on stderr: the one line a person starting it sees
      }
      // Exit from another thread: the deployment thread must not block in shutdown hooks.
      Thread t = new Thread(() -> System.exit(78), "sealpost-exit");
      t.start();
    }
    throw new IllegalStateException(message);
  }
}
