package dev.sealpost.api.application;

import dev.sealpost.api.domain.AttachmentRecord;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.EnvelopeRecord;
import dev.sealpost.api.domain.EnvelopeRepository;
import dev.sealpost.api.domain.EnvelopeRepository.PagePosition;
import dev.sealpost.api.domain.EnvelopeStatus;
import dev.sealpost.api.domain.ForbiddenException;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.RecipientRecord;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.audit.AuditRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Status and lists of a sender's envelopes, always scoped to the caller's tenant. */
@ApplicationScoped
public class EnvelopeQueries {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  /** The most audit events of one envelope read for its recipients' timelines. */
  public static final int MAX_TIMELINE_EVENTS = 1000;

  private final Transactions tx;
  private final EnvelopeRepository envelopes;
  private final AuditStore audit;
  private final Clock clock;

  @Inject
  public EnvelopeQueries(
      Transactions tx, EnvelopeRepository envelopes, AuditStore audit, Clock clock) {
    this.tx = tx;
    this.envelopes = envelopes;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * An envelope with its recipients and attachment rows, and each recipient's timeline (by
   * recipient id; empty in lists).
   */
  public record EnvelopeView(
      EnvelopeRecord envelope,
      EnvelopeStatus effectiveStatus,
      List<RecipientRecord> recipients,
      List<AttachmentRecord> attachments,
      Map<String, List<TimelineEntry>> timelines) {
    public EnvelopeView {
      timelines = Map.copyOf(timelines);
    }

    public List<TimelineEntry> timeline(RecipientId recipient) {
      return timelines.getOrDefault(recipient.value(), List.of());
    }
  }

  /**
   * One thing that happened to a recipient, from the audit events that name it: the event type
   * (NOTIFICATION_SENT, CODE_SENT, ENVELOPE_OPENED, ATTACHMENT_DOWNLOADED, RECIPIENT_LOCKED,
   * LINK_REISSUED, ...) and its time. Nothing else of the event (no address, actor or client).
   */
  public record TimelineEntry(String type, Instant time) {}

  public record Page(List<EnvelopeView> items, Optional<String> nextCursor) {}

  public EnvelopeView status(Caller caller, EnvelopeId envelopeId) {
    requireSender(caller);
    return tx.inTransaction(
        () -> view(caller, envelopeId).orElseThrow(() -> new NotFoundException("envelope")));
  }

  Optional<EnvelopeView> view(Caller caller, EnvelopeId envelopeId) {
    return envelopes
        .find(caller.tenantId(), envelopeId)
        .map(
            e ->
                new EnvelopeView(
                    e,
                    effective(e, clock.instant()),
                    envelopes.recipients(caller.tenantId(), envelopeId),
                    envelopes.attachments(caller.tenantId(), envelopeId),
                    timelines(caller, envelopeId)));
  }

  /** The envelope's first {@link #MAX_TIMELINE_EVENTS} audit events that name a recipient. */
  private Map<String, List<TimelineEntry>> timelines(Caller caller, EnvelopeId envelopeId) {
    AuditStore.Filter filter =
        new AuditStore.Filter(
            Optional.of(envelopeId.value()),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    Map<String, List<TimelineEntry>> out = new LinkedHashMap<>();
    for (AuditRecord r : audit.events(caller.tenantId(), filter, 0, MAX_TIMELINE_EVENTS)) {
      if (r.recipientId() != null) {
        out.computeIfAbsent(r.recipientId(), k -> new ArrayList<>())
            .add(new TimelineEntry(r.type(), r.time()));
      }
    }
    return out;
  }

  /** Newest first; {@code cursor} is the opaque {@code nextCursor} of the previous page. */
  public Page list(Caller caller, Optional<String> cursor, Optional<Integer> limit) {
    requireSender(caller);
    int n = limit.orElse(DEFAULT_LIMIT);
    if (n < 1 || n > MAX_LIMIT) {
      throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT);
    }
    Optional<PagePosition> after = cursor.map(EnvelopeQueries::decode);
    Instant now = clock.instant();
    return tx.inTransaction(
        () -> {
          List<EnvelopeRecord> rows = envelopes.page(caller.tenantId(), after, n + 1);
          boolean more = rows.size() > n;
          List<EnvelopeRecord> page = more ? rows.subList(0, n) : rows;
          List<EnvelopeView> items =
              page.stream()
                  .map(e -> new EnvelopeView(e, effective(e, now), List.of(), List.of(), Map.of()))
                  .toList();
          Optional<String> next =
              more ? Optional.of(encode(page.get(page.size() - 1))) : Optional.empty();
          return new Page(items, next);
        });
  }

  /** ACTIVE past its expiry reads as EXPIRED before the sweep gets to it. */
  static EnvelopeStatus effective(EnvelopeRecord e, Instant now) {
    if (e.status() == EnvelopeStatus.ACTIVE
        && e.expiresAt() != null
        && !now.isBefore(e.expiresAt())) {
      return EnvelopeStatus.EXPIRED;
    }
    return e.status();
  }

  static String encode(EnvelopeRecord last) {
    return PageCursor.encode("v1", last.createdAt(), last.id());
  }

  static PagePosition decode(String cursor) {
    PageCursor.Position p = PageCursor.decode("v1", cursor);
    return new PagePosition(p.createdAt(), new EnvelopeId(p.id()));
  }

  static void requireSender(Caller caller) {
    if (caller.role() != Role.SENDER) {
      throw new ForbiddenException("this needs the SENDER role");
    }
  }
}
