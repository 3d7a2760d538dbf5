package dev.sealpost.api.application;

import dev.sealpost.api.domain.TenantSettings;
import dev.sealpost.api.domain.VerificationMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The detail of a {@code TENANT_UPDATED} audit event: each changed setting by its API field name
 * with its new value, e.g. {@code allowedVerificationMethods: +NONE; custody: on}. Settings hold no
 * secret and no personal data, so every value may be shown.
 */
final class TenantUpdateDetail {
  private TenantUpdateDetail() {}

  /** What changed from {@code before} to {@code after}; empty when nothing did. */
  static String describe(TenantSettings before, TenantSettings after) {
    List<String> parts = new ArrayList<>();
    if (!before.displayName().equals(after.displayName())) {
      parts.add("displayName: \"" + after.displayName().replace("\"", "\\\"") + "\"");
    }
    Set<VerificationMethod> added = EnumSet.noneOf(VerificationMethod.class);
    added.addAll(after.allowedVerificationMethods());
    added.removeAll(before.allowedVerificationMethods());
    Set<VerificationMethod> removed = EnumSet.noneOf(VerificationMethod.class);
    removed.addAll(before.allowedVerificationMethods());
    removed.removeAll(after.allowedVerificationMethods());
    if (!added.isEmpty() || !removed.isEmpty()) {
      StringBuilder m = new StringBuilder("allowedVerificationMethods:");
      added.forEach(v -> m.append(" +").append(v.name()));
      removed.forEach(v -> m.append(" -").append(v.name()));
      parts.add(m.toString());
    }
    if (!before.defaultExpiry().equals(after.defaultExpiry())) {
      parts.add("defaultExpiry: " + iso(after.defaultExpiry()));
    }
    if (!before.maxExpiry().equals(after.maxExpiry())) {
      parts.add("maxExpiry: " + iso(after.maxExpiry()));
    }
    if (before.custody() != after.custody()) {
      parts.add("custody: " + (after.custody() ? "on" : "off"));
    }
    if (before.allowReplies() != after.allowReplies()) {
      parts.add("allowReplies: " + (after.allowReplies() ? "on" : "off"));
    }
    return String.join("; ", parts);
  }

  /** Whole days as {@code P7D}, as the API shows them; anything else as {@code PT90M}. */
  private static String iso(Duration d) {
    return d.toSeconds() % 86_400 == 0 && !d.isZero() ? "P" + d.toDays() + "D" : d.toString();
  }
}
