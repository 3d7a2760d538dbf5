package dev.sealpost.api.domain;

/** A consumer opens through a link and a second factor; a partner with its own key pair. */
public enum RecipientType {
  CONSUMER,
  PARTNER
}
