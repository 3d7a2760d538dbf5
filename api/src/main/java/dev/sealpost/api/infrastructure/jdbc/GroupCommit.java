package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.application.RequestCorrelation;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit (issue 15): concurrent callers' units of work share one transaction and one commit.
 * The first caller to find no batch running becomes the leader: it takes every unit queued so far
 * (at most {@link #MAX_BATCH}, the oldest first), runs each in its own savepoint on one connection,
 * commits once and wakes the callers; units that arrived meanwhile form the next batch under a new
 * leader. A caller returns only after the commit that holds its unit succeeded, so an answer sent
 * after it is as durable as with one transaction per request (on PostgreSQL: its WAL record
 * flushed); a unit that fails rolls back to its savepoint and only its caller gets the exception; a
 * failed commit fails every unit of the batch. A unit runs on the leader's thread, under its
 * caller's {@link RequestCorrelation} (request id, tenant).
 *
 * <p>Why: appends to one tenant's audit chain are serialised on its head row until the commit, so
 * with one transaction per seal a tenant sealed at most one commit (one WAL flush) at a time; a
 * batch takes the lock once for all its units. The price: a batch stuck on a slow statement holds
 * up every unit queued behind it, whatever its tenant.
 */
final class GroupCommit {
  static final int MAX_BATCH = 64;

  private final JdbcTransactions tx;
  private final int maxBatch;
  private final Object lock = new Object();
  private List<Unit> queue = new ArrayList<>();
  private boolean leading;

  GroupCommit(JdbcTransactions tx) {
    this(tx, MAX_BATCH);
  }

  GroupCommit(JdbcTransactions tx, int maxBatch) {
    this.tx = tx;
    this.maxBatch = maxBatch;
  }

  /** One caller's work and its outcome. */
  private static final class Unit {
    final Runnable work;
    final RequestCorrelation.Snapshot context = RequestCorrelation.snapshot();
    boolean done;
    Throwable failure;

    Unit(Runnable work) {
      this.work = work;
    }
  }

  /** Runs {@code work} in a shared transaction; returns once that transaction committed. */
  void run(Runnable work) {
    Unit me = new Unit(work);
    boolean interrupted = false;
    synchronized (lock) {
      queue.add(me);
    }
    while (true) {
      List<Unit> batch;
      synchronized (lock) {
        while (!me.done && leading) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            interrupted = true; // the unit may be running: wait for its outcome all the same
          }
        }
        if (me.done) {
          break;
        }
        leading = true;
        batch = take(); // the oldest units: this caller's own may be in a later batch
      }
      try {
        runBatch(batch);
      } finally {
        synchronized (lock) {
          for (Unit u : batch) {
            u.done = true;
          }
          leading = false;
          lock.notifyAll();
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    rethrow(me.failure);
  }

  private List<Unit> take() {
    if (queue.size() <= maxBatch) {
      List<Unit> all = queue;
      queue = new ArrayList<>();
      return all;
    }
    List<Unit> first = new ArrayList<>(queue.subList(0, maxBatch));
    queue = new ArrayList<>(queue.subList(maxBatch, queue.size()));
    return first;
  }

  private void runBatch(List<Unit> batch) {
    try {
      tx.run(
          () -> {
            for (Unit u : batch) {
              runInSavepoint(u);
            }
          });
    } catch (RuntimeException | Error e) {
      // The commit (or a rollback to a savepoint) failed: no unit of the batch is durable.
      for (Unit u : batch) {
        if (u.failure == null) {
          u.failure = e;
        }
      }
    }
  }

  private void runInSavepoint(Unit u) {
    Connection c = tx.connection();
    Savepoint sp;
    try {
      sp = c.setSavepoint();
    } catch (SQLException e) {
      throw new DataAccessException("could not set a savepoint", e);
    }
    try (RequestCorrelation.Scope scope = u.context.apply()) {
      u.work.run();
      c.releaseSavepoint(sp);
    } catch (RuntimeException | Error e) {
      u.failure = e;
      try {
        c.rollback(sp);
      } catch (SQLException ex) {
        e.addSuppressed(ex);
        throw new DataAccessException("could not roll back to a savepoint", ex);
      }
    } catch (SQLException e) {
      throw new DataAccessException("could not release a savepoint", e);
    }
  }

  private static void rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
  }
}
