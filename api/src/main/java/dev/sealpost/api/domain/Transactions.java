package dev.sealpost.api.domain;

import java.util.function.Supplier;

/**
 * Runs work in one database transaction. Repositories and the {@link AuditLog} called inside join
 * it, so a change and the audit event recording it commit or roll back together. Nested calls join
 * the outer transaction.
 */
public interface Transactions {
  <T> T inTransaction(Supplier<T> work);

  default void run(Runnable work) {
    inTransaction(
        () -> {
          work.run();
          return null;
        });
  }

  /**
   * Like {@link #run}, but {@code work} may share one transaction and one commit with concurrent
   * callers' work (group commit): it runs in a savepoint of its own, possibly on another thread,
   * and this returns (or throws what {@code work} threw) only after that transaction committed. For
   * short writes that must be durable before the request answers (a seal's records, an audit
   * event); {@code work} must rely on no thread-bound state but the request correlation.
   */
  default void runGrouped(Runnable work) {
    run(work);
  }
}
