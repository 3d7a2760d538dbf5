package dev.sealpost.api.application;

import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.ForbiddenException;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.PartnerInbox;
import dev.sealpost.api.domain.PartnerInbox.Attachment;
import dev.sealpost.api.domain.PartnerInbox.Entry;
import dev.sealpost.api.domain.PartnerInbox.Item;
import dev.sealpost.api.domain.PartnerInbox.Position;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.StorageUnavailableException;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.envelope.EnvelopeFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A partner's inbox: the envelopes addressed to it, its own JWE entry of each (flattened: the other
 * recipients' entries are never served) and the attachment ciphertexts. Anything not addressed to
 * the calling partner is "not found" (whether it exists or not); a revoked or expired one is gone
 * (410). Every fetch is audited: PARTNER_FETCHED (manifest), ATTACHMENT_DOWNLOADED, and
 * FETCH_REFUSED when refused.
 */
@ApplicationScoped
public class InboxQueries {
  /** Manifests are at most 32 MiB of JSON (FORMAT.md); the stored document is read whole. */
  static final long MAX_MANIFEST = 32L << 20;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,36}");

  private final Transactions tx;
  private final PartnerInbox inbox;
  private final BlobStore blobs;
  private final AuditLog audit;
  private final Clock clock;

  @Inject
  public InboxQueries(
      Transactions tx, PartnerInbox inbox, BlobStore blobs, AuditLog audit, Clock clock) {
    this.tx = tx;
    this.inbox = inbox;
    this.blobs = blobs;
    this.audit = audit;
    this.clock = clock;
  }

  public record Page(List<Item> items, Optional<String> nextCursor) {
    public Page {
      items = List.copyOf(items);
    }
  }

  /** An attachment ciphertext to stream; the caller closes {@code content}. */
  public record Download(long size, InputStream content) {}

  public Page list(Caller caller, Optional<String> cursor, int limit) {
    PartnerId partnerId = partnerOf(caller);
    if (limit < 1 || limit > 100) {
      throw new InvalidInputException("limit", "must be 1 to 100");
    }
    Optional<Position> after = cursor.map(InboxQueries::decodeCursor);
    List<Item> rows =
        tx.inTransaction(
            () -> inbox.page(caller.tenantId(), partnerId, after, limit + 1, clock.instant()));
    Optional<String> next = Optional.empty();
    if (rows.size() > limit) {
      rows = rows.subList(0, limit);
      Item last = rows.get(limit - 1);
      next = Optional.of(encodeCursor(new Position(last.createdAt(), last.envelopeId())));
    }
    return new Page(rows, next);
  }

  /** The partner's own entry of the envelope's JWE, flattened (JSON). */
  public String manifest(Caller caller, EnvelopeId envelopeId, ClientInfo client) {
    Entry e = readable(caller, envelopeId, client);
    String general;
    try (InputStream in = blobs.get(new BlobKey(e.manifestBlob().orElseThrow()))) {
      byte[] bytes = in.readNBytes((int) MAX_MANIFEST + 1);
      if (bytes.length > MAX_MANIFEST) {
        throw new IllegalStateException("stored manifest exceeds the format limit");
      }
      general = new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new StorageUnavailableException("manifest read failed", ex);
    }
    String flattened = EnvelopeFormat.flatten(general, e.kid());
    record(caller, AuditEventType.PARTNER_FETCHED, e, client);
    return flattened;
  }

  /** One attachment's ciphertext, unchanged. */
  public Download attachment(
      Caller caller, EnvelopeId envelopeId, String attachmentId, ClientInfo client) {
    Entry e = readable(caller, envelopeId, client);
    Attachment a =
        e.attachments().stream()
            .filter(x -> x.id().equals(attachmentId))
            .findFirst()
            .orElseThrow(() -> new NotFoundException("attachment"));
    InputStream content;
    try {
      content = blobs.get(new BlobKey(a.blobKey()));
    } catch (IOException ex) {
      throw new StorageUnavailableException("attachment read failed", ex);
    }
    record(caller, AuditEventType.ATTACHMENT_DOWNLOADED, e, client);
    return new Download(a.size(), content);
  }

  private Entry readable(Caller caller, EnvelopeId envelopeId, ClientInfo client) {
    PartnerId partnerId = partnerOf(caller);
    Optional<Entry> found =
        ID.matcher(envelopeId.value()).matches()
            ? tx.inTransaction(() -> inbox.find(caller.tenantId(), partnerId, envelopeId))
            : Optional.empty();
    if (found.isEmpty()) {
      refused(caller, ID.matcher(envelopeId.value()).matches() ? envelopeId : null, null, client);
      throw new NotFoundException("envelope");
    }
    Entry e = found.get();
    if (e.gone(clock.instant())) {
      refused(caller, e.envelopeId(), e.recipientId(), client);
      throw new InboxEnvelopeGoneException();
    }
    return e;
  }

  private void record(Caller caller, AuditEventType type, Entry e, ClientInfo client) {
    // One audit append per fetch: shares its commit with concurrent ones (group commit).
    tx.runGrouped(
        () ->
            audit.append(
                AuditEvent.of(type, caller.tenantId(), caller.actor(), client, clock.instant())
                    .withEnvelope(e.envelopeId(), e.recipientId())));
  }

  private void refused(
      Caller caller, EnvelopeId envelopeId, RecipientId recipientId, ClientInfo client) {
    tx.run(
        () ->
            audit.append(
                AuditEvent.of(
                        AuditEventType.FETCH_REFUSED,
                        caller.tenantId(),
                        caller.actor(),
                        client,
                        clock.instant())
                    .withEnvelope(envelopeId, recipientId)));
  }

  private static PartnerId partnerOf(Caller caller) {
    if (caller.role() != Role.PARTNER || caller.partnerId().isEmpty()) {
      throw new ForbiddenException("this needs a PARTNER key");
    }
    return caller.partnerId().get();
  }

  static String encodeCursor(Position p) {
    String raw = p.createdAt().toString() + "|" + p.envelopeId();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static Position decodeCursor(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int bar = raw.indexOf('|');
      String id = raw.substring(bar + 1);
      if (bar < 0 || !ID.matcher(id).matches()) {
        throw new IllegalArgumentException("bad cursor");
      }
      return new Position(Instant.parse(raw.substring(0, bar)), new EnvelopeId(id));
    } catch (IllegalArgumentException | DateTimeParseException | IndexOutOfBoundsException e) {
      throw new InvalidInputException("cursor", "not a cursor this server gave out");
    }
  }
}
