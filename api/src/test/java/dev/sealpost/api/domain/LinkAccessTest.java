package dev.sealpost.api.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.api.domain.LinkAccess.Refusal;
import dev.sealpost.api.domain.OpenLinkRepository.LinkState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** "May this link be opened now?": every rule, at and around its boundary. */
class LinkAccessTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final String TOKEN_HASH = Digests.sha256Hex("the link token");

  /** A live link: active envelope expiring in a day, token matching, nothing used up. */
  private static final class Link {
    String linkTokenHash = TOKEN_HASH;
    String serverShare = "wrapped-share";
    String manifestBlob = "t/e/manifest.jwe";
    RecipientStatus status = RecipientStatus.NOTIFIED;
    EnvelopeStatus envelopeStatus = EnvelopeStatus.ACTIVE;
    Instant expiresAt = NOW.plus(Duration.ofDays(1));
    Integer maxOpens;
    int openCount;
    String otpHash;
    Instant otpExpiresAt;
    Instant otpWindowStart;

    LinkState state() {
      return new LinkState(
          new TenantId("00000000-0000-0000-0000-000000000001"),
          new EnvelopeId("e1"),
          new RecipientId("r1"),
          "a@example.com",
          "en",
          VerificationMethod.EMAIL_OTP,
          null,
          null,
          linkTokenHash,
          serverShare,
          status,
          0,
          openCount,
          otpHash,
          otpExpiresAt,
          0,
          otpWindowStart,
          envelopeStatus,
          expiresAt,
          maxOpens,
          manifestBlob);
    }
  }

  private static Optional<Refusal> refusal(Link l) {
    return LinkAccess.refusal(l.state(), TOKEN_HASH, NOW);
  }

  @Test
  void aLiveLinkWithItsToken_mayProceed() {
    assertThat(refusal(new Link())).isEmpty();
    assertThat(LinkAccess.whyGone(new Link().state(), NOW)).isEmpty();
  }

  @Test
  void anotherToken_orNoStoredToken_isNotFound() {
    assertThat(LinkAccess.refusal(new Link().state(), Digests.sha256Hex("other"), NOW))
        .contains(Refusal.NOT_FOUND);
    Link reissuedAway = new Link();
    reissuedAway.linkTokenHash = null;
    assertThat(refusal(reissuedAway)).contains(Refusal.NOT_FOUND);
  }

  @Test
  void aRevokedEnvelope_isRevoked_evenWhenAlsoPastItsExpiry() {
    Link l = new Link();
    l.envelopeStatus = EnvelopeStatus.REVOKED;
    l.expiresAt = NOW.minusSeconds(1);
    assertThat(refusal(l)).contains(Refusal.REVOKED);
    assertThat(LinkAccess.whyGone(l.state(), NOW)).contains(Refusal.REVOKED);
  }

  @Test
  void expiry_refusesExactlyAtTheExpiryInstant_notASecondBefore() {
    Link l = new Link();
    l.expiresAt = NOW.plusNanos(1);
    assertThat(refusal(l)).isEmpty();
    l.expiresAt = NOW;
    assertThat(refusal(l)).contains(Refusal.EXPIRED);
    assertThat(LinkAccess.whyGone(l.state(), NOW)).contains(Refusal.EXPIRED);
    l.expiresAt = NOW.minusSeconds(1);
    assertThat(refusal(l)).contains(Refusal.EXPIRED);
  }

  @Test
  void anExpiredStatus_isExpired_whateverTheTime() {
    Link l = new Link();
    l.envelopeStatus = EnvelopeStatus.EXPIRED;
    assertThat(refusal(l)).contains(Refusal.EXPIRED);
  }

  @Test
  void noExpiryTime_neverExpiresByTime() {
    Link l = new Link();
    l.expiresAt = null;
    assertThat(refusal(l)).isEmpty();
  }

  @Test
  void aShreddedShareOrAMissingManifest_isGone() {
    Link noShare = new Link();
    noShare.serverShare = null;
    assertThat(refusal(noShare)).contains(Refusal.GONE);
    Link noManifest = new Link();
    noManifest.manifestBlob = null;
    assertThat(refusal(noManifest)).contains(Refusal.GONE);
    assertThat(LinkAccess.whyGone(noManifest.state(), NOW)).contains(Refusal.GONE);
  }

  @Test
  void aLockedRecipient_isLocked_butItsEnvelopeIsStillReadable() {
    Link l = new Link();
    l.status = RecipientStatus.LOCKED;
    assertThat(refusal(l)).contains(Refusal.LOCKED);
    assertThat(LinkAccess.whyGone(l.state(), NOW)).isEmpty();
  }

  @Test
  void theEnvelopeIsAskedBeforeTheRecipient_andTheRecipientBeforeTheOpens() {
    Link l = new Link();
    l.status = RecipientStatus.LOCKED;
    l.maxOpens = 1;
    l.openCount = 1;
    assertThat(refusal(l)).contains(Refusal.LOCKED);
    l.envelopeStatus = EnvelopeStatus.REVOKED;
    assertThat(refusal(l)).contains(Refusal.REVOKED);
  }

  @Test
  void maxOpens_refusesOnceReached_notBefore() {
    Link l = new Link();
    l.maxOpens = 3;
    l.openCount = 2;
    assertThat(refusal(l)).isEmpty();
    assertThat(LinkAccess.opensUsedUp(l.state())).isFalse();
    l.openCount = 3;
    assertThat(refusal(l)).contains(Refusal.OPENS_USED_UP);
    assertThat(LinkAccess.opensUsedUp(l.state())).isTrue();
    // Reading with an access token is not opening again.
    assertThat(LinkAccess.whyGone(l.state(), NOW)).isEmpty();
  }

  @Test
  void noMaxOpens_opensWithoutLimit() {
    Link l = new Link();
    l.openCount = 1_000;
    assertThat(refusal(l)).isEmpty();
  }

  @Test
  void aCode_isLiveUntilItsExpiryInstant_exclusive() {
    Link l = new Link();
    l.otpHash = "salt.hash";
    l.otpExpiresAt = NOW.plusNanos(1);
    assertThat(LinkAccess.codeLive(l.state(), NOW)).isTrue();
    l.otpExpiresAt = NOW;
    assertThat(LinkAccess.codeLive(l.state(), NOW)).isFalse();
    l.otpExpiresAt = null;
    assertThat(LinkAccess.codeLive(l.state(), NOW)).isFalse();
    l.otpExpiresAt = NOW.plusSeconds(60);
    l.otpHash = null; // used, or wiped by the lock
    assertThat(LinkAccess.codeLive(l.state(), NOW)).isFalse();
  }

  @Test
  void aMailedCode_livesTenMinutes() {
    Link l = new Link();
    l.otpHash = "salt.hash";
    l.otpExpiresAt = LinkAccess.codeExpiry(NOW);
    assertThat(l.otpExpiresAt).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
    assertThat(LinkAccess.codeLive(l.state(), l.otpExpiresAt.minusNanos(1))).isTrue();
    assertThat(LinkAccess.codeLive(l.state(), l.otpExpiresAt)).isFalse();
  }

  @Test
  void theFifthWrongAnswer_locks_andEachBeforeItSaysWhatIsLeft() {
    assertThat(LinkAccess.MAX_FAILED_ATTEMPTS).isEqualTo(5);
    for (int failed = 1; failed < 5; failed++) {
      assertThat(LinkAccess.locksAt(failed)).as("after %d", failed).isFalse();
      assertThat(LinkAccess.remainingAttempts(failed)).isEqualTo(5 - failed);
    }
    assertThat(LinkAccess.locksAt(5)).isTrue();
    assertThat(LinkAccess.locksAt(6)).isTrue();
  }

  @Test
  void codeRequests_areCountedInAFifteenMinuteWindow() {
    assertThat(LinkAccess.CODE_REQUESTS).isEqualTo(5);
    assertThat(LinkAccess.codeWindowCutoff(NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(15)));
  }

  @Test
  void aRateLimitedCodeRequest_waitsUntilItsWindowEnds_atLeastASecond() {
    Link l = new Link();
    l.otpWindowStart = NOW.minus(Duration.ofMinutes(5));
    assertThat(LinkAccess.codeRetryAfterSeconds(l.state(), NOW)).isEqualTo(600);
    l.otpWindowStart = NOW.minus(Duration.ofMinutes(15));
    assertThat(LinkAccess.codeRetryAfterSeconds(l.state(), NOW)).isEqualTo(1);
    l.otpWindowStart = NOW.minus(Duration.ofMinutes(20));
    assertThat(LinkAccess.codeRetryAfterSeconds(l.state(), NOW)).isEqualTo(1);
    l.otpWindowStart = null;
    assertThat(LinkAccess.codeRetryAfterSeconds(l.state(), NOW)).isEqualTo(900);
  }
}
