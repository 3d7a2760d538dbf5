package dev.sealpost.api.application;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.PartnerKeyCheck;
import dev.sealpost.api.domain.ReplyRepository;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's reply keys ({@code GET|PUT /v1/tenant/reply-keys}, ADMIN): the public JWKS that
 * consumers encrypt replies to. The partner key rules apply to every key, strictly ({@link
 * PartnerKeyCheck#checkEvery}): RSA-OAEP-256 of at least 2048 bits or ECDH-ES+A256KW on P-256, a
 * unique kid, no private member (which refuses the document: the key is exposed). At most {@link
 * #MAX_KEYS}; an empty set removes them. A change is audited as {@code TENANT_UPDATED}.
 */
@ApplicationScoped
public class ReplyKeys {
  public static final int MAX_KEYS = 4;
  static final String EMPTY = "{\"keys\":[]}";
  private static final String FIELD = "keys";

  private final Transactions tx;
  private final ReplyRepository replies;
  private final PartnerKeyCheck keyCheck;
  private final AuditLog audit;
  private final Clock clock;

  @Inject
  public ReplyKeys(
      Transactions tx,
      ReplyRepository replies,
      PartnerKeyCheck keyCheck,
      AuditLog audit,
      Clock clock) {
    this.tx = tx;
    this.replies = replies;
    this.keyCheck = keyCheck;
    this.audit = audit;
    this.clock = clock;
  }

  /** The stored public JWKS ({@code {"keys":[]}} when none). */
  public String get(Caller caller) {
    TenantAdministration.requireRole(caller, Role.ADMIN);
    return tx.inTransaction(() -> replies.replyKeys(caller.tenantId()).orElse(EMPTY));
  }

  /** Checks and stores {@code jwksJson}; answers what is stored. */
  public String put(Caller caller, String jwksJson, ClientInfo client) {
    TenantAdministration.requireRole(caller, Role.ADMIN);
    Optional<String> checked =
        isEmptySet(jwksJson)
            ? Optional.empty()
            : Optional.of(keyCheck.checkEvery(FIELD, jwksJson, MAX_KEYS).json());
    tx.run(
        () -> {
          replies.setReplyKeys(caller.tenantId(), checked);
          audit.append(
              AuditEvent.of(
                      AuditEventType.TENANT_UPDATED,
                      caller.tenantId(),
                      caller.actor(),
                      client,
                      clock.instant())
                  .withDetail("replyKeys: " + count(checked)));
        });
    return checked.orElse(EMPTY);
  }

  private static int count(Optional<String> jwks) {
    if (jwks.isEmpty()) {
      return 0;
    }
    try {
      return JSONObjectUtils.parse(jwks.get()).get(FIELD) instanceof List<?> l ? l.size() : 0;
    } catch (ParseException e) {
      return 0;
    }
  }

  /** {@code {"keys":[]}} and nothing else: remove the keys. */
  private static boolean isEmptySet(String json) {
    Map<String, Object> doc;
    try {
      doc = JSONObjectUtils.parse(json == null ? "" : json);
    } catch (ParseException | RuntimeException e) {
      throw new InvalidInputException(FIELD, "the body must be a JWK set {\"keys\":[...]}");
    }
    return doc.size() == 1 && doc.get(FIELD) instanceof List<?> l && l.isEmpty();
  }
}
