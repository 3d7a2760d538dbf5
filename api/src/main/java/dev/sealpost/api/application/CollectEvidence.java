package dev.sealpost.api.application;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.sealpost.api.application.EnvelopeQueries.EnvelopeView;
import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.ForbiddenException;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.audit.AuditCheckpoint;
import dev.sealpost.audit.AuditEvidence;
import dev.sealpost.audit.AuditRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An envelope's evidence bundle for an AUDITOR (docs/AUDIT.md "Evidence bundle", checked offline by
 * {@link AuditEvidence}): every event naming the envelope, each with the hash path to the nearest
 * signed checkpoint at or after it, those checkpoints and the tenant's public keys.
 *
 * <p>The request is itself recorded, as AUDIT_EXPORTED naming the envelope with the count of the
 * envelope's earlier events in its detail, in one transaction that holds the tenant's head lock (so
 * no event of the envelope can slip in between the count and the record) and that signs a
 * checkpoint over it. If the chain no longer checks out the server does not sign; the bundle is
 * still answered, and its last path is visibly unsigned.
 */
@ApplicationScoped
public class CollectEvidence {
  private static final int PAGE = 1000;

  private final Transactions tx;
  private final AuditStore store;
  private final AuditLog log;
  private final KeyService keys;
  private final EnvelopeQueries envelopes;
  private final Clock clock;

  @Inject
  public CollectEvidence(
      Transactions tx,
      AuditStore store,
      AuditLog log,
      KeyService keys,
      EnvelopeQueries envelopes,
      Clock clock) {
    this.tx = tx;
    this.store = store;
    this.log = log;
    this.keys = keys;
    this.envelopes = envelopes;
    this.clock = clock;
  }

  /** What the bundle holds; {@code envelope} is empty when its row no longer exists. */
  public record Evidence(
      TenantId tenant,
      EnvelopeId envelopeId,
      Instant createdAt,
      Optional<EnvelopeView> envelope,
      List<AuditRecord> events,
      List<AuditCheckpoint> checkpoints,
      Map<String, Object> jwks) {}

  private record Recorded(Optional<EnvelopeView> envelope, long evidenceSeq) {}

  /**
   * @throws ForbiddenException unless the caller is an AUDITOR
   * @throws NotFoundException if the caller's tenant has neither the envelope nor events naming it
   */
  public Evidence collect(Caller caller, EnvelopeId envelopeId, ClientInfo client) {
    if (caller.role() != Role.AUDITOR) {
      throw new ForbiddenException("this needs the AUDITOR role");
    }
    TenantId tenant = caller.tenantId();
    Recorded recorded = tx.inTransaction(() -> record(caller, envelopeId, client));
    List<AuditRecord> named = tx.inTransaction(() -> named(tenant, envelopeId, recorded));
    TreeMap<Long, AuditCheckpoint> nearest = nearestCheckpoints(tenant, named, recorded);
    List<AuditRecord> events = paths(tenant, named, nearest, recorded.evidenceSeq());
    return new Evidence(
        tenant,
        envelopeId,
        clock.instant(),
        recorded.envelope(),
        events,
        List.copyOf(nearest.values()),
        jwks(tenant));
  }

  private Recorded record(Caller caller, EnvelopeId envelopeId, ClientInfo client) {
    TenantId tenant = caller.tenantId();
    Optional<EnvelopeView> envelope = envelopes.view(caller, envelopeId);
    store.lockedHead(tenant);
    long earlier = named(tenant, envelopeId, Long.MAX_VALUE).size();
    if (envelope.isEmpty() && earlier == 0) {
      throw new NotFoundException("envelope");
    }
    log.append(
        new AuditEvent(
            AuditEventType.AUDIT_EXPORTED,
            clock.instant(),
            tenant,
            caller.actor(),
            envelopeId,
            null,
            client.ip(),
            client.userAgent(),
            AuditEvidence.detail(earlier)));
    long seq = store.lockedHead(tenant).orElseThrow().seq();
    try {
      store.checkpointHead(tenant);
    } catch (AuditChainBrokenException e) {
      // Logged where it is found; the bundle shows the unsigned path.
    }
    return new Recorded(envelope, seq);
  }

  private List<AuditRecord> named(TenantId tenant, EnvelopeId envelopeId, Recorded recorded) {
    return named(tenant, envelopeId, recorded.evidenceSeq());
  }

  /** Every event naming the envelope with seq up to {@code upToSeq}, in seq order. */
  private List<AuditRecord> named(TenantId tenant, EnvelopeId envelopeId, long upToSeq) {
    AuditStore.Filter filter =
        new AuditStore.Filter(
            Optional.of(envelopeId.value()),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    List<AuditRecord> out = new ArrayList<>();
    long after = 0;
    while (true) {
      List<AuditRecord> page = store.events(tenant, filter, after, PAGE);
      for (AuditRecord r : page) {
        if (r.seq() > upToSeq) {
          return out;
        }
        out.add(r);
      }
      if (page.size() < PAGE) {
        return out;
      }
      after = page.get(page.size() - 1).seq();
    }
  }

  /** For each event naming the envelope, the first checkpoint at or after it (keyed by its seq). */
  private TreeMap<Long, AuditCheckpoint> nearestCheckpoints(
      TenantId tenant, List<AuditRecord> named, Recorded recorded) {
    TreeMap<Long, AuditCheckpoint> used = new TreeMap<>();
    if (named.isEmpty()) {
      return used;
    }
    int next = 0;
    long after = named.get(0).seq() - 1;
    while (next < named.size()) {
      long from = after;
      List<AuditCheckpoint> page =
          tx.inTransaction(() -> store.checkpoints(tenant, from, recorded.evidenceSeq(), PAGE));
      for (AuditCheckpoint cp : page) {
        boolean covers = false;
        while (next < named.size() && named.get(next).seq() <= cp.seq()) {
          covers = true;
          next++;
        }
        if (covers) {
          used.put(cp.seq(), cp);
        }
      }
      if (page.size() < PAGE) {
        break;
      }
      after = page.get(page.size() - 1).seq();
    }
    return used;
  }

  /**
   * The events from each one naming the envelope to its checkpoint (or to the evidence event when
   * none covers it), overlapping stretches merged, in seq order.
   */
  private List<AuditRecord> paths(
      TenantId tenant,
      List<AuditRecord> named,
      TreeMap<Long, AuditCheckpoint> nearest,
      long evidenceSeq) {
    List<AuditRecord> out = new ArrayList<>();
    long covered = 0;
    for (AuditRecord r : named) {
      if (r.seq() <= covered) {
        continue;
      }
      Long cp = nearest.ceilingKey(r.seq());
      long end = cp == null ? evidenceSeq : cp;
      long after = r.seq() - 1;
      while (after < end) {
        long from = after;
        List<AuditRecord> page = tx.inTransaction(() -> store.chain(tenant, from, end, PAGE));
        if (page.isEmpty()) {
          break;
        }
        out.addAll(page);
        after = page.get(page.size() - 1).seq();
      }
      covered = end;
    }
    return out;
  }

  /** The tenant's public signing keys (every kid, old ones too) as a JWKS object. */
  private Map<String, Object> jwks(TenantId tenant) {
    try {
      List<JWK> own =
          JWKSet.parse(keys.publicJwksJson()).getKeys().stream()
              .filter(k -> k.getKeyID() != null && k.getKeyID().startsWith(tenant.value() + "."))
              .toList();
      return new JWKSet(own).toJSONObject(true);
    } catch (ParseException e) {
      throw new IllegalStateException("the server's own JWKS does not parse", e);
    }
  }
}
