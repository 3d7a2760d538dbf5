package dev.sealpost.api.application;

import static dev.sealpost.api.application.OpenLinkEvents.event;

import dev.sealpost.api.application.OpenLinkException.Reason;
import dev.sealpost.api.domain.AttachmentRecord;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.DataKey;
import dev.sealpost.api.domain.Digests;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.EnvelopeRepository;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.LinkAccess;
import dev.sealpost.api.domain.Mailer;
import dev.sealpost.api.domain.OpenLinkRepository;
import dev.sealpost.api.domain.OpenLinkRepository.LinkState;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.StorageUnavailableException;
import dev.sealpost.api.domain.TenantRepository;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.domain.VerificationMethod;
import dev.sealpost.api.domain.WrappedKey;
import dev.sealpost.envelope.EnvelopeFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The consumer side of a link (DESIGN.md "The consumer link"): challenge, verify, then the manifest
 * and attachments with a short-lived access token.
 *
 * <p>Whether a link may be opened now is {@link LinkAccess}'s rule. Every decision is taken under
 * the recipient's row lock in the database ({@code SELECT ... FOR UPDATE}) and written by guarded
 * UPDATEs, so the attempt limit, the single use of a code, the open count against {@code maxOpens},
 * expiry and revocation hold across server instances. Wrong answers are committed before the
 * refusal is answered. The link token is compared by its SHA-256 in constant time.
 *
 * <p>Access tokens ({@link OpenLinkSessions}): 256 random bits, base64url, only their SHA-256
 * stored ({@code open_sessions}), bound to one envelope and recipient, valid for the configured
 * lifetime ({@code sealpost.open.access-token-ttl}, default {@link #DEFAULT_ACCESS_TTL}). A
 * database row rather than an HMAC-signed token: no extra server key to manage and rotate, and
 * revocation is a plain check.
 */
@ApplicationScoped
public class OpenLink {
  public static final Duration DEFAULT_ACCESS_TTL = Duration.ofMinutes(10);
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final long MAX_MANIFEST = 32L * 1024 * 1024 + 1024;

  private final Transactions tx;
  private final OpenLinkRepository links;
  private final EnvelopeRepository envelopes;
  private final KeyService keys;
  private final BlobStore blobs;
  private final AuditLog audit;
  private final Clock clock;
  private final OpenLinkSessions sessions;
  private final OpenLinkSecretCheck secrets;
  private final OpenLinkAnswers answers;
  private final OpenLinkCodes codes;

  @Inject
  public OpenLink(
      Transactions tx,
      OpenLinkRepository links,
      EnvelopeRepository envelopes,
      TenantRepository tenants,
      KeyService keys,
      BlobStore blobs,
      Mailer mailer,
      AuditLog audit,
      Clock clock,
      AccessTokenTtl accessTokenTtl) {
    Duration accessTtl = accessTokenTtl.value();
    if (accessTtl.isNegative() || accessTtl.isZero()) {
      throw new IllegalArgumentException("access token lifetime must be positive");
    }
    this.tx = tx;
    this.links = links;
    this.envelopes = envelopes;
    this.keys = keys;
    this.blobs = blobs;
    this.audit = audit;
    this.clock = clock;
    this.sessions = new OpenLinkSessions(tx, links, clock, accessTtl);
    this.secrets = new OpenLinkSecretCheck(tx, links, clock);
    this.answers = new OpenLinkAnswers(tenants);
    this.codes = new OpenLinkCodes(tx, links, tenants, mailer, audit, clock);
  }

  public record Challenge(VerificationMethod method, String hint) {}

  public record Opened(String accessToken, long expiresIn, String serverShare) {
    @Override
    public String toString() {
      return "Opened[redacted]";
    }
  }

  /** An attachment's ciphertext. */
  public record AttachmentStream(InputStream stream, long length) {}

  /**
   * A transaction's answer: a value, or a refusal answered after the commit (so that what the
   * transaction recorded, a wrong answer say, stays recorded).
   */
  record Outcome<T>(T value, OpenLinkException refusal) {
    static <T> Outcome<T> ok(T value) {
      return new Outcome<>(value, null);
    }

    static <T> Outcome<T> refused(OpenLinkException e) {
      return new Outcome<>(null, e);
    }

    T get() {
      if (refusal != null) {
        throw refusal;
      }
      return value;
    }
  }

  /** Starts the second factor. EMAIL_OTP mails a fresh code; the others mail nothing. */
  public Challenge challenge(
      EnvelopeId envelopeId, RecipientId recipientId, String token, ClientInfo client) {
    String tokenHash = tokenHash(token);
    OpenLinkCodes.Pending[] pending = new OpenLinkCodes.Pending[1];
    Challenge answer =
        tx.inTransaction(
                () -> {
                  Instant now = clock.instant();
                  // Opens used up: refused now, rather than mail a code that verify would refuse.
                  LinkState s = mayOpen(envelopeId, recipientId, tokenHash, now);
                  if (s.method() == VerificationMethod.EMAIL_OTP) {
                    Outcome<OpenLinkCodes.Pending> stored = codes.store(s, recipientId, now);
                    if (stored.refusal() != null) {
                      return Outcome.<Challenge>refused(stored.refusal());
                    }
                    pending[0] = stored.value();
                  }
                  audit.append(event(AuditEventType.CHALLENGE_STARTED, s, client, now));
                  return Outcome.ok(new Challenge(s.method(), hint(s)));
                })
            .get();
    if (pending[0] != null) {
      codes.send(pending[0], client);
    }
    return answer;
  }

  /**
   * Checks the answer and counts one open: answers an access token and the server share. {@code
   * code} for EMAIL_OTP, {@code secret} for SHARED_SECRET, neither for NONE.
   */
  public Opened verify(
      EnvelopeId envelopeId,
      RecipientId recipientId,
      String token,
      String code,
      String secret,
      ClientInfo client) {
    String tokenHash = tokenHash(token);
    if (!OpenLinkSecretCheck.isAnswer(secret)) {
      return decide(envelopeId, recipientId, tokenHash, code, secret, null, client);
    }
    return OpenLinkSecretCheck.inTurn(
        recipientId,
        () -> {
          OpenLinkSecretCheck.Checked checked =
              secrets.beforeLock(envelopeId, recipientId, tokenHash, secret);
          return decide(envelopeId, recipientId, tokenHash, code, secret, checked, client);
        });
  }

  /** The decision under the row lock: a wrong answer is counted and committed, then refused. */
  private Opened decide(
      EnvelopeId envelopeId,
      RecipientId recipientId,
      String tokenHash,
      String code,
      String secret,
      OpenLinkSecretCheck.Checked checked,
      ClientInfo client) {
    return tx.<Outcome<Opened>>inTransaction(
            () -> {
              Instant now = clock.instant();
              LinkState s = mayOpen(envelopeId, recipientId, tokenHash, now);
              if (!answers.right(s, recipientId, code, secret, checked, now)) {
                return Outcome.<Opened>refused(wrongAnswer(s, recipientId, client, now));
              }
              return Outcome.ok(open(s, envelopeId, recipientId, client, now));
            })
        .get();
  }

  private OpenLinkException wrongAnswer(
      LinkState s, RecipientId recipientId, ClientInfo client, Instant now) {
    int failed = links.recordFailure(recipientId, now, LinkAccess.MAX_FAILED_ATTEMPTS);
    audit.append(event(AuditEventType.VERIFY_FAILED, s, client, now));
    if (LinkAccess.locksAt(failed)) {
      audit.append(event(AuditEventType.RECIPIENT_LOCKED, s, client, now));
      return new OpenLinkException(
          Reason.LOCKED, "too many wrong answers: ask the sender", 0, null);
    }
    boolean secret = s.method() == VerificationMethod.SHARED_SECRET;
    return new OpenLinkException(
        secret ? Reason.WRONG_SECRET : Reason.WRONG_CODE,
        secret ? "the answer is not right" : "the code is wrong or no longer valid",
        LinkAccess.remainingAttempts(failed),
        null);
  }

  /** A right answer: one open counted (guarded), the server share and a fresh access token. */
  private Opened open(
      LinkState s, EnvelopeId envelopeId, RecipientId recipientId, ClientInfo client, Instant now) {
    if (!links.recordOpen(
        recipientId, now, s.method() == VerificationMethod.EMAIL_OTP ? s.otpHash() : null)) {
      throw OpenLinkException.of(LinkAccess.Refusal.OPENS_USED_UP);
    }
    byte[] share;
    try (DataKey key =
        keys.decryptDataKey(
            new WrappedKey(s.serverShare()),
            new KeyContext(s.tenantId(), envelopeId, "server-share:" + recipientId))) {
      share = key.bytes();
    }
    String accessToken = sessions.start(s, envelopeId, recipientId, now);
    audit.append(event(AuditEventType.ENVELOPE_OPENED, s, client, now));
    String shareB64 = B64.encodeToString(share);
    Arrays.fill(share, (byte) 0);
    return new Opened(accessToken, sessions.ttl().toSeconds(), shareB64);
  }

  /** The recipient's own flattened JWE. */
  public String manifest(EnvelopeId envelopeId, String accessToken) {
    LinkState s = sessions.access(envelopeId, accessToken);
    try (InputStream in = blobs.get(new BlobKey(s.manifestBlob()))) {
      byte[] json = in.readNBytes((int) MAX_MANIFEST);
      return EnvelopeFormat.flatten(
          new String(json, StandardCharsets.UTF_8), s.recipientId().value());
    } catch (IOException e) {
      throw new StorageUnavailableException("manifest read failed", e);
    }
  }

  /** An attachment's ciphertext stream; records ATTACHMENT_DOWNLOADED. */
  public AttachmentStream attachment(
      EnvelopeId envelopeId, String attachmentId, String accessToken, ClientInfo client) {
    LinkState s = sessions.access(envelopeId, accessToken);
    AttachmentRecord a =
        tx.inTransaction(
            () -> {
              Optional<AttachmentRecord> found =
                  envelopes.attachments(s.tenantId(), envelopeId).stream()
                      .filter(x -> x.id().equals(attachmentId))
                      .findFirst();
              if (found.isEmpty()) {
                throw new OpenLinkException(Reason.NOT_FOUND, "no such attachment");
              }
              audit.append(event(AuditEventType.ATTACHMENT_DOWNLOADED, s, client, clock.instant()));
              return found.get();
            });
    try {
      return new AttachmentStream(blobs.get(new BlobKey(a.blobKey())), a.ciphertextSize());
    } catch (IOException e) {
      throw new StorageUnavailableException("attachment read failed", e);
    }
  }

  /** The recipient under its row lock, if {@link LinkAccess} lets the link be opened now. */
  private LinkState mayOpen(
      EnvelopeId envelopeId, RecipientId recipientId, String tokenHash, Instant now) {
    LinkState s =
        links
            .lock(envelopeId, recipientId)
            .orElseThrow(() -> OpenLinkException.of(LinkAccess.Refusal.NOT_FOUND));
    LinkAccess.refusal(s, tokenHash, now)
        .ifPresent(
            r -> {
              throw OpenLinkException.of(r);
            });
    return s;
  }

  private static String hint(LinkState s) {
    return switch (s.method()) {
      case EMAIL_OTP -> maskEmail(s.email());
      case SHARED_SECRET -> s.secretHint();
      case NONE -> null;
    };
  }

  /** Hex SHA-256 of the base64url link token (43 characters, 32 bytes). */
  static String tokenHash(String token) {
    if (token == null || !token.matches("[A-Za-z0-9_-]{43}")) {
      throw OpenLinkException.of(LinkAccess.Refusal.NOT_FOUND);
    }
    return Digests.sha256Hex(Base64.getUrlDecoder().decode(token));
  }

  /**
   * Kept only for {@code ReissueLink}, which another change moves to {@link Digests#sha256Hex}:
   * drop this once it has.
   */
  static String sha256Hex(byte[] bytes) {
    return Digests.sha256Hex(bytes);
  }

  static String maskEmail(String email) {
    if (email == null) {
      return null;
    }
    int at = email.indexOf('@');
    if (at <= 0) {
      return "***";
    }
    return email.charAt(0) + "***" + email.substring(at);
  }
}
