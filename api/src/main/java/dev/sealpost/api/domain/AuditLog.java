package dev.sealpost.api.domain;

/**
 * Appends audit events in the caller's transaction ({@link Transactions}): the event commits if and
 * only if the change it records commits.
 */
public interface AuditLog {
  void append(AuditEvent event);
}
