package dev.sealpost.api.domain;

import java.util.List;

/**
 * Sends one signed webhook request (Standard Webhooks: {@code webhook-id}, {@code
 * webhook-timestamp}, {@code webhook-signature} with one {@code v1,} signature per secret). The
 * target address is checked again at connect time (no private, loopback or link-local address,
 * whatever DNS answers now), with a connect and a read timeout of its own.
 */
public interface WebhookSender {
  /** The endpoint's answer, or why there was none ({@code status} null). */
  record Outcome(Integer status, String error) {
    public boolean delivered() {
      return status != null && status >= 200 && status < 300;
    }
  }

  /**
   * Posts {@code body}; never throws for network or endpoint failures.
   *
   * @param secrets the raw secret bytes (after {@code whsec_}), newest first
   */
  Outcome send(
      String url, String messageId, long timestampSeconds, String body, List<byte[]> secrets);

  /**
   * Checks a URL before it is stored; throws {@link InvalidInputException} naming {@code field}.
   */
  void checkUrl(String field, String url);
}
