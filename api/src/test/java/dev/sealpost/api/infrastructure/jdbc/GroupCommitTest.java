package dev.sealpost.api.infrastructure.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.application.RequestCorrelation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcTransactions#runGrouped} (group commit, issue 15): every caller's work is committed
 * when the call returns, a failing unit rolls back alone and only its caller sees the failure, and
 * each unit runs under its caller's request id.
 */
class GroupCommitTest {
  private Database db;
  private JdbcTransactions tx;
  private Jdbc jdbc;

  @BeforeEach
  void start() throws SQLException {
    db = InMemoryDatabase.start(4);
    tx = new JdbcTransactions(db.dataSource());
    jdbc = new Jdbc(tx);
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE probe(id INT PRIMARY KEY, request_id VARCHAR(64))");
    }
  }

  @AfterEach
  void stop() {
    db.close();
  }

  @Test
  void concurrentCallers_eachReturnsAfterItsWorkIsCommitted_aFailingUnitRollsBackAlone()
      throws Exception {
    concurrentCallers(tx::runGrouped);
  }

  /** Batches of at most 4: a leader may run older callers' batch before its own. */
  @Test
  void smallBatches_everyCallerStillGetsItsOwnOutcome() throws Exception {
    concurrentCallers(new GroupCommit(tx, 4)::run);
  }

  private void concurrentCallers(Consumer<Runnable> runGrouped) throws Exception {
    int n = 32;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    Map<Integer, Boolean> visibleOnReturn = new ConcurrentHashMap<>();
    List<Future<?>> calls = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        int id = i;
        calls.add(
            pool.submit(
                () -> {
                  go.await();
                  try (RequestCorrelation.Scope scope = RequestCorrelation.open("req-" + id)) {
                    runGrouped.accept(
                        () -> {
                          jdbc.update(
                              "INSERT INTO probe VALUES (?, ?)",
                              id,
                              RequestCorrelation.requestId());
                          if (id % 8 == 3) {
                            throw new IllegalStateException("unit " + id + " fails");
                          }
                        });
                  } finally {
                    // read on a connection of its own: only committed rows are seen
                    visibleOnReturn.put(id, committed(id));
                  }
                  return null;
                }));
      }
      go.countDown();
      for (int i = 0; i < n; i++) {
        int id = i;
        if (id % 8 == 3) {
          assertThatThrownBy(() -> calls.get(id).get(60, TimeUnit.SECONDS))
              .hasRootCauseMessage("unit " + id + " fails");
        } else {
          calls.get(id).get(60, TimeUnit.SECONDS);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < n; i++) {
      assertThat(visibleOnReturn.get(i))
          .as("row %d committed when its call returned", i)
          .isEqualTo(i % 8 != 3);
      if (i % 8 != 3) {
        assertThat(requestIdOf(i)).isEqualTo("req-" + i);
      }
    }
  }

  @Test
  void insideATransaction_theWorkJoinsIt() {
    assertThatThrownBy(
            () ->
                tx.run(
                    () -> {
                      tx.runGrouped(() -> jdbc.update("INSERT INTO probe VALUES (1, NULL)"));
                      throw new IllegalStateException("outer fails");
                    }))
        .hasMessage("outer fails");
    assertThat(committed(1)).isFalse();
  }

  private boolean committed(int id) {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM probe WHERE id = ?")) {
      ps.setInt(1, id);
      try (ResultSet r = ps.executeQuery()) {
        r.next();
        return r.getInt(1) == 1;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private String requestIdOf(int id) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT request_id FROM probe WHERE id = ?")) {
      ps.setInt(1, id);
      try (ResultSet r = ps.executeQuery()) {
        r.next();
        return r.getString(1);
      }
    }
  }
}
