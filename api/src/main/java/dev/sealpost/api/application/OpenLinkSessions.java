package dev.sealpost.api.application;

import dev.sealpost.api.application.OpenLinkException.Reason;
import dev.sealpost.api.domain.Digests;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.LinkAccess;
import dev.sealpost.api.domain.OpenLinkRepository;
import dev.sealpost.api.domain.OpenLinkRepository.LinkState;
import dev.sealpost.api.domain.OpenLinkRepository.OpenSession;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.Transactions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Access tokens (see {@link OpenLink}): 256 random bits, base64url, only their SHA-256 stored,
 * bound to one envelope and recipient until {@code ttl} has passed.
 */
final class OpenLinkSessions {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final Transactions tx;
  private final OpenLinkRepository links;
  private final Clock clock;
  private final Duration ttl;

  OpenLinkSessions(Transactions tx, OpenLinkRepository links, Clock clock, Duration ttl) {
    this.tx = tx;
    this.links = links;
    this.clock = clock;
    this.ttl = ttl;
  }

  Duration ttl() {
    return ttl;
  }

  /** Inside the open's transaction: a fresh access token for the recipient of {@code s}. */
  String start(LinkState s, EnvelopeId envelopeId, RecipientId recipientId, Instant now) {
    byte[] access = new byte[32];
    RANDOM.nextBytes(access);
    String accessToken = B64.encodeToString(access);
    links.insertSession(
        Digests.sha256Hex(access),
        new OpenSession(s.tenantId(), envelopeId, recipientId, now.plus(ttl)),
        now);
    return accessToken;
  }

  /** The recipient a live access token is bound to, its envelope still readable. */
  LinkState access(EnvelopeId envelopeId, String accessToken) {
    if (accessToken == null || !accessToken.matches("[A-Za-z0-9_-]{43}")) {
      throw new OpenLinkException(Reason.SESSION_ENDED, "sign in again from the link");
    }
    String hash = Digests.sha256Hex(Base64.getUrlDecoder().decode(accessToken));
    return tx.inTransaction(
        () -> {
          Instant now = clock.instant();
          OpenSession session =
              links
                  .session(hash)
                  .filter(x -> x.envelopeId().equals(envelopeId) && x.expiresAt().isAfter(now))
                  .orElseThrow(
                      () ->
                          new OpenLinkException(
                              Reason.SESSION_ENDED, "the session has ended; open the link again"));
          LinkState s =
              links
                  .lock(envelopeId, session.recipientId())
                  .orElseThrow(() -> OpenLinkException.of(LinkAccess.Refusal.NOT_FOUND));
          LinkAccess.whyGone(s, now)
              .ifPresent(
                  r -> {
                    throw OpenLinkException.of(r);
                  });
          return s;
        });
  }
}
