package dev.sealpost.webhooks;

/**
 * A request whose signature verified: its {@code webhook-id} (the same on every retry of one event:
 * use it to drop duplicates, delivery is at least once) and {@code webhook-timestamp}.
 */
public final class VerifiedWebhook {
  private final String id;
  private final long timestampSeconds;

  VerifiedWebhook(String id, long timestampSeconds) {
    this.id = id;
    this.timestampSeconds = timestampSeconds;
  }

  /** The {@code webhook-id}. */
  public String id() {
    return id;
  }

  /** The {@code webhook-timestamp}, seconds since the epoch. */
  public long timestampSeconds() {
    return timestampSeconds;
  }

  @Override
  public String toString() {
    return "VerifiedWebhook[id=" + id + ", timestamp=" + timestampSeconds + "]";
  }
}
