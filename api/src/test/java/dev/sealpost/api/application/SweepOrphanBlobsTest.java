package dev.sealpost.api.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.infrastructure.blobs.FileSystemBlobStore;
import dev.sealpost.api.infrastructure.jdbc.Database;
import dev.sealpost.api.infrastructure.jdbc.InMemoryDatabase;
import dev.sealpost.api.infrastructure.jdbc.Jdbc;
import dev.sealpost.api.infrastructure.jdbc.JdbcBlobCleanup;
import dev.sealpost.api.infrastructure.jdbc.JdbcTransactions;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The orphan-blob sweep and its claims, over a real H2 database and a real blob store. */
class SweepOrphanBlobsTest {
  @TempDir Path dir;
  private Database db;
  private JdbcTransactions tx;
  private JdbcBlobCleanup cleanup;
  private FileSystemBlobStore blobs;
  private final Instant now = Instant.parse("2026-12-06T12:00:00Z");
  private final Duration grace = Duration.ofHours(1);

  @BeforeEach
  void setUp() throws Exception {
    db = InMemoryDatabase.start(4);
    tx = new JdbcTransactions(db.dataSource());
    cleanup = new JdbcBlobCleanup(new Jdbc(tx));
    blobs = FileSystemBlobStore.open(dir.resolve("blobs"));
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private SweepOrphanBlobs sweepAt(Instant at) {
    return new SweepOrphanBlobs(
        tx,
        cleanup,
        blobs,
        Clock.fixed(at, ZoneOffset.UTC),
        new OrphanBlobPolicy(grace, Duration.ofMinutes(5)));
  }

  /** A seal's prefix with two objects written, expected at {@code now}. */
  private BlobKey sealStarted() throws Exception {
    BlobKey prefix = BlobKey.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
    tx.run(() -> cleanup.expect(prefix, now.plus(grace)));
    for (String name : new String[] {"a1", "manifest.jwe"}) {
      blobs.put(BlobKey.of(prefix.value(), name), new ByteArrayInputStream(new byte[] {1, 2}));
    }
    return prefix;
  }

  @Test
  void aSealThatNeverCommitted_isSweptAfterTheGrace_notBefore() throws Exception {
    BlobKey prefix = sealStarted();
    assertThat(sweepAt(now.plus(grace).minusSeconds(1)).sweep()).isZero();
    assertThat(blobs.exists(BlobKey.of(prefix.value(), "a1"))).isTrue();
    assertThat(sweepAt(now.plus(grace)).sweep()).isEqualTo(1);
    assertThat(blobs.exists(BlobKey.of(prefix.value(), "a1"))).isFalse();
    assertThat(blobs.exists(BlobKey.of(prefix.value(), "manifest.jwe"))).isFalse();
    assertThat(sweepAt(now.plus(grace)).sweep()).as("the row is gone too").isZero();
  }

  @Test
  void aCommittedSeal_isNeverSwept() throws Exception {
    BlobKey prefix = sealStarted();
    assertThat(tx.inTransaction(() -> cleanup.settle(prefix))).isTrue();
    assertThat(sweepAt(now.plus(Duration.ofDays(30))).sweep()).isZero();
    assertThat(blobs.exists(BlobKey.of(prefix.value(), "a1"))).isTrue();
  }

  @Test
  void aSealWhoseObjectsTheSweepClaimed_mayNotCommit() throws Exception {
    BlobKey prefix = sealStarted();
    Instant late = now.plus(grace).plusSeconds(1);
    Duration lease = Duration.ofMinutes(10);
    assertThat(tx.inTransaction(() -> cleanup.claim(prefix, late, lease))).isTrue();
    assertThat(tx.inTransaction(() -> cleanup.settle(prefix))).isFalse();
    assertThat(tx.inTransaction(() -> cleanup.claim(prefix, late, lease)))
        .as("one claim at a time")
        .isFalse();
    assertThat(
            tx.inTransaction(() -> cleanup.claim(prefix, late.plus(lease).plusSeconds(1), lease)))
        .as("a claim whose sweep died is taken again after the lease")
        .isTrue();
  }

  @Test
  void aShreddedEnvelopesObjects_areSweptAtOnce_andScheduleIsIdempotent() throws Exception {
    BlobKey prefix = sealStarted();
    tx.run(() -> cleanup.settle(prefix));
    tx.run(() -> cleanup.schedule(prefix, now));
    tx.run(() -> cleanup.schedule(prefix, now));
    assertThat(sweepAt(now).sweep()).isEqualTo(1);
    assertThat(blobs.exists(BlobKey.of(prefix.value(), "a1"))).isFalse();
  }
}
