package dev.sealpost.api.application;

import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.ForbiddenException;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.audit.AuditCheckpoint;
import dev.sealpost.audit.AuditExportWriter;
import dev.sealpost.audit.AuditRecord;
import dev.sealpost.audit.AuditVerification;
import dev.sealpost.audit.AuditVerifier;
import dev.sealpost.envelope.TrustedKeys;
import dev.sealpost.exception.SealpostException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The auditor's use cases (AUDITOR role, own tenant only): query events, export the whole chain
 * (recorded as AUDIT_EXPORTED, ending at a checkpoint signed for the export), and verify the chain
 * against the signed checkpoints. Export and verify read in keyset pages, one short transaction
 * each, so memory does not grow with the log.
 */
@ApplicationScoped
public class AuditQueries {
  static final int PAGE = 1000;
  public static final int MAX_LIMIT = 1000;

  private final Transactions tx;
  private final AuditStore store;
  private final AuditLog log;
  private final KeyService keys;
  private final Clock clock;

  @Inject
  public AuditQueries(
      Transactions tx, AuditStore store, AuditLog log, KeyService keys, Clock clock) {
    this.tx = tx;
    this.store = store;
    this.log = log;
    this.keys = keys;
    this.clock = clock;
  }

  /** One page of events and the cursor of the next (empty at the end). */
  public record Page(List<AuditRecord> items, Optional<String> nextCursor) {}

  public Page events(Caller caller, AuditStore.Filter filter, String cursor, Integer limit) {
    TenantId tenant = requireAuditor(caller);
    int n = limit == null ? 100 : limit;
    if (n < 1 || n > MAX_LIMIT) {
      throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT);
    }
    long after = cursor == null || cursor.isEmpty() ? 0 : decodeCursor(cursor);
    List<AuditRecord> rows = tx.inTransaction(() -> store.events(tenant, filter, after, n + 1));
    if (rows.size() > n) {
      List<AuditRecord> page = rows.subList(0, n);
      return new Page(
          List.copyOf(page), Optional.of(encodeCursor(page.get(page.size() - 1).seq())));
    }
    return new Page(rows, Optional.empty());
  }

  static String encodeCursor(long seq) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("a1:" + seq).getBytes(StandardCharsets.US_ASCII));
  }

  static long decodeCursor(String cursor) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      if (s.startsWith("a1:")) {
        long seq = Long.parseLong(s.substring(3));
        if (seq >= 0) {
          return seq;
        }
      }
    } catch (IllegalArgumentException e) {
      // below
    }
    throw new InvalidInputException("cursor", "is not a cursor from a previous page");
  }

  /** An export ready to stream: its format and the writer to call from the response. */
  public interface Export {
    boolean csv();

    void writeTo(Writer out) throws IOException;
  }

  /**
   * Records AUDIT_EXPORTED (committed before any byte is sent: if it fails, there is no export),
   * signs a checkpoint over the head, then streams the chain up to that head. If the chain no
   * longer checks out the server does not sign, but still exports what is stored, so the auditor
   * sees (and the offline verifier reports) the break.
   */
  public Export export(Caller caller, boolean csv, ClientInfo client) {
    TenantId tenant = requireAuditor(caller);
    tx.run(
        () ->
            log.append(
                AuditEvent.of(
                    AuditEventType.AUDIT_EXPORTED,
                    tenant,
                    caller.actor(),
                    client,
                    clock.instant())));
    AuditStore.Head end;
    try {
      AuditCheckpoint cp =
          tx.inTransaction(() -> store.checkpointHead(tenant))
              .orElseThrow(() -> new IllegalStateException("no head after an append"));
      end = new AuditStore.Head(cp.seq(), cp.head());
    } catch (AuditChainBrokenException e) {
      end = tx.inTransaction(() -> store.head(tenant)).orElseThrow();
    }
    AuditStore.Head last = end;
    Instant exportedAt = clock.instant();
    return new Export() {
      @Override
      public boolean csv() {
        return csv;
      }

      @Override
      public void writeTo(Writer out) throws IOException {
        AuditExportWriter w = csv ? AuditExportWriter.csv(out) : AuditExportWriter.ndjson(out);
        w.header(tenant.value(), exportedAt);
        walk(
            tenant,
            last.seq(),
            new Visitor() {
              @Override
              public void checkpoint(AuditCheckpoint cp) throws IOException {
                w.checkpoint(cp);
              }

              @Override
              public void event(AuditRecord r) throws IOException {
                w.event(r);
              }
            });
        w.head(tenant.value(), last.seq(), last.hash());
        w.flush();
      }
    };
  }

  /** The outcome of {@link #verify}, with the head the server recorded. */
  public record Verification(AuditVerification result, AuditStore.Head head) {}

  /**
   * Recomputes the whole chain, checks every stored checkpoint's signature and the chain against
   * them and against the head row. If all is well and events exist that no checkpoint covers, signs
   * one over the head (an auditor's verify anchors what it saw).
   */
  public Verification verify(Caller caller) {
    TenantId tenant = requireAuditor(caller);
    AuditStore.Head head =
        tx.inTransaction(() -> store.head(tenant)).orElse(new AuditStore.Head(0, null));
    TrustedKeys trusted = TrustedKeys.fromJwksJson(keys.publicJwksJson());
    AuditVerifier verifier = new AuditVerifier(tenant.value());
    try {
      walk(
          tenant,
          head.seq(),
          new Visitor() {
            @Override
            public void checkpoint(AuditCheckpoint cp) {
              try {
                verifier.checkpoint(AuditCheckpoint.verify(cp.jws(), trusted, tenant.value()));
              } catch (SealpostException e) {
                throw new BadCheckpoint(cp.seq(), e.getMessage());
              }
            }

            @Override
            public void event(AuditRecord r) {
              verifier.accept(r);
            }
          });
    } catch (BadCheckpoint e) {
      AuditVerification v =
          verifier.finish(null, null).failedAt(e.seq, "checkpoint at seq " + e.seq + ": " + e.why);
      return new Verification(v, head);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    AuditVerification v = checkNotRewound(tenant, head, verifier.finish(head.seq(), head.hash()));
    return new Verification(anchor(tenant, head, v), head);
  }

  /**
   * A checkpoint beyond the head we read is fine if the head has moved on since (appends during the
   * check); if the head row is behind a signed checkpoint, the tail was cut and rewound.
   */
  private AuditVerification checkNotRewound(
      TenantId tenant, AuditStore.Head head, AuditVerification v) {
    List<AuditCheckpoint> beyond =
        tx.inTransaction(() -> store.checkpoints(tenant, head.seq(), Long.MAX_VALUE, 1));
    if (!beyond.isEmpty()) {
      long now = tx.inTransaction(() -> store.head(tenant)).map(AuditStore.Head::seq).orElse(0L);
      if (now < beyond.get(0).seq()) {
        v =
            v.failedAt(
                now + 1,
                "a signed checkpoint covers seq "
                    + beyond.get(0).seq()
                    + " but the recorded head is seq "
                    + now
                    + " (events removed from the end)");
      }
    }
    return v;
  }

  /** If all is well and events exist that no checkpoint covers, signs one over the head. */
  private AuditVerification anchor(TenantId tenant, AuditStore.Head head, AuditVerification v) {
    if (v.ok() && head.seq() > 0 && (v.checkpoint() == null || v.checkpoint().seq() < head.seq())) {
      try {
        AuditCheckpoint cp = tx.inTransaction(() -> store.checkpointHead(tenant)).orElseThrow();
        v = v.withCheckpoint(cp);
      } catch (AuditChainBrokenException e) {
        // The head moved and what came after does not chain: report it rather than sign.
        v = v.failedAt(v.lastSeq() + 1, "events appended after the check do not chain onto it");
      }
    }
    return v;
  }

  private static final class BadCheckpoint extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long seq;
    final String why;

    BadCheckpoint(long seq, String why) {
      super(why, null, false, false);
      this.seq = seq;
      this.why = why;
    }
  }

  interface Visitor {
    void checkpoint(AuditCheckpoint cp) throws IOException;

    void event(AuditRecord r) throws IOException;
  }

  /**
   * Every event with seq up to {@code upToSeq} and every checkpoint, merged in seq order (a
   * checkpoint before the events after it), in keyset pages. Checkpoints beyond the last event are
   * visited at the end, so a removed tail shows.
   */
  void walk(TenantId tenant, long upToSeq, Visitor v) throws IOException {
    ArrayDeque<AuditCheckpoint> cps = new ArrayDeque<>();
    long cpAfter = 0;
    boolean cpDone = false;
    long after = 0;
    while (true) {
      long from = after;
      List<AuditRecord> page = tx.inTransaction(() -> store.chain(tenant, from, upToSeq, PAGE));
      for (AuditRecord r : page) {
        while (true) {
          if (cps.isEmpty() && !cpDone) {
            long cpFrom = cpAfter;
            List<AuditCheckpoint> more =
                tx.inTransaction(() -> store.checkpoints(tenant, cpFrom, upToSeq, PAGE));
            cps.addAll(more);
            if (more.isEmpty()) {
              cpDone = true;
            } else {
              cpAfter = more.get(more.size() - 1).seq();
            }
          }
          if (cps.isEmpty() || cps.peekFirst().seq() > r.seq()) {
            break;
          }
          v.checkpoint(cps.pollFirst());
        }
        v.event(r);
        after = r.seq();
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    while (true) {
      while (!cps.isEmpty()) {
        v.checkpoint(cps.pollFirst());
      }
      if (cpDone) {
        break;
      }
      long cpFrom = cpAfter;
      List<AuditCheckpoint> more =
          tx.inTransaction(() -> store.checkpoints(tenant, cpFrom, upToSeq, PAGE));
      if (more.isEmpty()) {
        cpDone = true;
      } else {
        cps.addAll(more);
        cpAfter = more.get(more.size() - 1).seq();
      }
    }
  }

  private static TenantId requireAuditor(Caller caller) {
    if (caller.role() != Role.AUDITOR) {
      throw new ForbiddenException("this needs the AUDITOR role");
    }
    return caller.tenantId();
  }
}
