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
}
