package dev.sealpost.api.domain;

import java.util.Objects;

/**
 * The server's public address ({@code sealpost.public-base-url}), without a trailing slash, and the
 * one place that builds a consumer link from it: {@code
 * {base}/v/{envelopeId}/{recipientId}#{linkSecret}} (DESIGN.md, "The consumer link"). The secret
 * goes in the fragment only, so it never reaches a server log or a Referer.
 */
public record PublicBaseUrl(String value) {
  public PublicBaseUrl {
    Objects.requireNonNull(value, "value");
    while (value.endsWith("/")) {
      value = value.substring(0, value.length() - 1);
    }
  }

  /** The link mailed to (or answered for) one consumer recipient. */
  public String consumerLink(
      EnvelopeId envelopeId, RecipientId recipientId, String linkSecretBase64Url) {
    return value
        + "/v/"
        + envelopeId.value()
        + "/"
        + recipientId.value()
        + "#"
        + linkSecretBase64Url;
  }

  @Override
  public String toString() {
    return value;
  }
}
