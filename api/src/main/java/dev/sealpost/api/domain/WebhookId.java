package dev.sealpost.api.domain;

import java.util.Objects;
import java.util.UUID;

/** A webhook endpoint's id: a UUID string. */
public record WebhookId(String value) {
  public WebhookId {
    Objects.requireNonNull(value, "value");
  }

  public static WebhookId random() {
    return new WebhookId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
