package dev.sealpost.api.domain;

import java.util.Objects;

/**
 * One mail: a single recipient, a sender display name (the organisation), a subject, and the same
 * content as plain text and as HTML (already escaped by whoever built it). Addresses and subject
 * must not hold CR or LF: a header can never be injected.
 */
public record MailerMessage(String to, String fromName, String subject, String text, String html) {
  public MailerMessage {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(fromName, "fromName");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(html, "html");
    for (String header : new String[] {to, fromName, subject}) {
      if (header.indexOf('\r') >= 0 || header.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("CR or LF in a mail header");
      }
    }
  }

  @Override
  public String toString() {
    // The body holds a live link or a code: never print it.
    return "MailerMessage[to=<redacted>, subject-length=" + subject.length() + "]";
  }
}
