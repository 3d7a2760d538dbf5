package dev.sealpost.api.domain;

/** Revoking this key would leave the tenant without a live ADMIN key (409 last-admin-key). */
public class LastAdminKeyException extends ConflictException {
  private static final long serialVersionUID = 1L;

  public LastAdminKeyException() {
    super(
        "this is the tenant's last live ADMIN key: create another ADMIN key first, then revoke"
            + " this one");
  }
}
