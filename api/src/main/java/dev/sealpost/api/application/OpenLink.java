package dev.sealpost.api.application;

import dev.sealpost.api.application.OpenLinkException.Reason;
import dev.sealpost.api.domain.AttachmentRecord;
import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.DataKey;
import dev.sealpost.api.domain.EnvelopeRepository;
import dev.sealpost.api.domain.EnvelopeStatus;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.Mailer;
import dev.sealpost.api.domain.OpenLinkRepository;
import dev.sealpost.api.domain.OpenLinkRepository.LinkState;
import dev.sealpost.api.domain.OpenLinkRepository.OpenSession;
import dev.sealpost.api.domain.OtpCode;
import dev.sealpost.api.domain.RecipientStatus;
import dev.sealpost.api.domain.SharedSecretHash;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantRepository;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.domain.VerificationMethod;
import dev.sealpost.api.domain.WrappedKey;
import dev.sealpost.envelope.EnvelopeFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The consumer side of a link (DESIGN.md "The consumer link"): challenge, verify, then the manifest
 * and attachments with a short-lived access token.
 *
 * <p>Every decision is taken under the recipient's row lock in the database ({@code SELECT ... FOR
 * UPDATE}) and written by guarded UPDATEs, so the attempt limit, the single use of a code, the open
 * count against {@code maxOpens}, expiry and revocation hold across server instances. Wrong answers
 * are committed before the refusal is answered. The link token is compared by its SHA-256 with
 * {@link MessageDigest#isEqual}.
 *
 * <p>Access tokens: 256 random bits, base64url, only their SHA-256 stored ({@code open_sessions}),
 * bound to one envelope and recipient, valid for the configured lifetime ({@code
 * sealpost.open.access-token-ttl}, default {@link #DEFAULT_ACCESS_TTL}). A database row rather than
 * an HMAC-signed token: no extra server key to manage and rotate, and revocation is a plain check.
 */
@ApplicationScoped
public class OpenLink {
  public static final int MAX_FAILED_ATTEMPTS = 5;
  public static final Duration CODE_TTL = Duration.ofMinutes(10);
  public static final Duration DEFAULT_ACCESS_TTL = Duration.ofMinutes(10);

  /** Code requests: at most {@link #CODE_REQUESTS} per recipient in {@link #CODE_WINDOW}. */
  public static final int CODE_REQUESTS = 5;

  public static final Duration CODE_WINDOW = Duration.ofMinutes(15);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final long MAX_MANIFEST = 32L * 1024 * 1024 + 1024;

  private final Transactions tx;
  private final OpenLinkRepository links;
  private final EnvelopeRepository envelopes;
  private final TenantRepository tenants;
  private final KeyService keys;
  private final BlobStore blobs;
  private final Mailer mailer;
  private final AuditLog audit;
  private final Clock clock;
  private final Duration accessTtl;

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
    this.tenants = tenants;
    this.keys = keys;
    this.blobs = blobs;
    this.mailer = mailer;
    this.audit = audit;
    this.clock = clock;
    this.accessTtl = accessTtl;
  }

  public record Challenge(VerificationMethod method, String hint) {}

  public record Opened(String accessToken, long expiresIn, String serverShare) {
    @Override
    public String toString() {
      return "Opened[redacted]";
    }
  }

  /** The manifest and attachment reads: what a valid access token is bound to. */
  public record Access(LinkState state) {}

  /** An attachment's ciphertext. */
  public record AttachmentStream(InputStream stream, long length) {}

  private record Outcome<T>(T value, OpenLinkException refusal, Runnable afterCommit) {
    static <T> Outcome<T> ok(T value) {
      return new Outcome<>(value, null, null);
    }

    static <T> Outcome<T> refused(OpenLinkException e) {
      return new Outcome<>(null, e, null);
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
      String envelopeId, String recipientId, String token, ClientInfo client) {
    String tokenHash = tokenHash(token);
    String[] code = new String[1];
    LinkState[] target = new LinkState[1];
    Challenge answer =
        tx.inTransaction(
                () -> {
                  Instant now = clock.instant();
                  LinkState s = usable(envelopeId, recipientId, tokenHash, now);
                  // Opens used up: say so now, rather than mail a code that verify would refuse.
                  refuseIfOpensUsedUp(s);
                  if (s.method() == VerificationMethod.EMAIL_OTP) {
                    String c = OtpCode.generate();
                    Instant cutoff = now.minus(CODE_WINDOW);
                    if (!links.storeCode(
                        recipientId,
                        OtpCode.hash(recipientId, c),
                        now.plus(CODE_TTL),
                        now,
                        cutoff,
                        CODE_REQUESTS)) {
                      long wait =
                          s.otpWindowStart() == null
                              ? CODE_WINDOW.toSeconds()
                              : Math.max(
                                  1,
                                  Duration.between(now, s.otpWindowStart().plus(CODE_WINDOW))
                                      .toSeconds());
                      return Outcome.<Challenge>refused(
                          new OpenLinkException(
                              Reason.RATE_LIMITED,
                              "too many codes requested; try again later",
                              null,
                              wait));
                    }
                    code[0] = c;
                    target[0] = s;
                  }
                  audit.append(event(AuditEventType.CHALLENGE_STARTED, s, client, now));
                  String hint =
                      switch (s.method()) {
                        case EMAIL_OTP -> maskEmail(s.email());
                        case SHARED_SECRET -> s.secretHint();
                        case NONE -> null;
                      };
                  return Outcome.ok(new Challenge(s.method(), hint));
                })
            .get();
    if (code[0] != null) {
      LinkState s = target[0];
      String organisation =
          tx.inTransaction(() -> tenants.find(s.tenantId()))
              .map(t -> t.settings().displayName())
              .orElse("Sealpost");
      try {
        mailer.send(NotificationMails.code(s.email(), s.locale(), organisation, code[0]));
      } catch (RuntimeException e) {
        throw new OpenLinkException(
            Reason.MAIL_UNAVAILABLE, "the code could not be sent; try again in a minute");
      } finally {
        code[0] = null;
      }
      tx.run(() -> audit.append(event(AuditEventType.CODE_SENT, s, client, clock.instant())));
    }
    return answer;
  }

  /**
   * Checks the answer and counts one open: answers an access token and the server share. {@code
   * code} for EMAIL_OTP, {@code secret} for SHARED_SECRET, neither for NONE.
   */
  public Opened verify(
      String envelopeId,
      String recipientId,
      String token,
      String code,
      String secret,
      ClientInfo client) {
    String tokenHash = tokenHash(token);
    if (secret == null || secret.isEmpty() || secret.length() > 1000) {
      return verifyLocked(envelopeId, recipientId, tokenHash, code, secret, null, client);
    }
    // One shared-secret check per recipient at a time on this instance (see SecretCheck).
    ReentrantLock stripe =
        SECRET_STRIPES[Math.floorMod(recipientId.hashCode(), SECRET_STRIPES.length)];
    stripe.lock();
    try {
      SecretCheck checked = checkSecretUnlocked(envelopeId, recipientId, tokenHash, secret);
      return verifyLocked(envelopeId, recipientId, tokenHash, code, secret, checked, client);
    } finally {
      stripe.unlock();
    }
  }

  /**
   * The shared secret's slow hash (PBKDF2, 600,000 rounds: seconds on a small, busy machine) is
   * checked before the recipient's row lock is taken and outside any transaction. Under the lock it
   * held a database connection and the row while it ran, so a burst of verify calls on one link
   * queued on the row until the database's lock timeout (H2) or the pool's connection timeout
   * answered 500, and could starve every other request of connections. The decision itself is still
   * taken under the row lock, which re-checks the token, lock state, expiry, revocation and open
   * count, and uses this result only for the same stored hash. Checks of one recipient take turns
   * on a striped lock (held through the decision, so a queued call sees the opens already counted
   * and skips the hash): a burst on one link costs one hash at a time, not one per call.
   */
  private record SecretCheck(String secretHash, boolean matches) {}

  private static final ReentrantLock[] SECRET_STRIPES = new ReentrantLock[64];

  static {
    for (int i = 0; i < SECRET_STRIPES.length; i++) {
      SECRET_STRIPES[i] = new ReentrantLock();
    }
  }

  private SecretCheck checkSecretUnlocked(
      String envelopeId, String recipientId, String tokenHash, String secret) {
    Instant now = clock.instant();
    Optional<LinkState> seen = tx.inTransaction(() -> links.read(envelopeId, recipientId));
    if (seen.isEmpty()) {
      return null;
    }
    LinkState s = seen.get();
    boolean worthHashing =
        tokenMatches(s, tokenHash)
            && s.method() == VerificationMethod.SHARED_SECRET
            && s.secretHash() != null
            && s.status() != RecipientStatus.LOCKED
            && s.envelopeStatus() == EnvelopeStatus.ACTIVE
            && (s.expiresAt() == null || s.expiresAt().isAfter(now))
            && s.serverShare() != null
            && (s.maxOpens() == null || s.openCount() < s.maxOpens());
    if (!worthHashing) {
      return null; // the locked check refuses it without hashing
    }
    return new SecretCheck(s.secretHash(), SharedSecretHash.verify(secret, s.secretHash()));
  }

  private Opened verifyLocked(
      String envelopeId,
      String recipientId,
      String tokenHash,
      String code,
      String secret,
      SecretCheck checked,
      ClientInfo client) {
    return tx.<Outcome<Opened>>inTransaction(
            () -> {
              Instant now = clock.instant();
              LinkState s = usable(envelopeId, recipientId, tokenHash, now);
              refuseIfOpensUsedUp(s);
              boolean ok;
              switch (s.method()) {
                case NONE -> {
                  Optional<Tenant> tenant = tenants.find(s.tenantId());
                  if (tenant.isEmpty()
                      || !tenant
                          .get()
                          .settings()
                          .allowedVerificationMethods()
                          .contains(VerificationMethod.NONE)) {
                    throw new OpenLinkException(
                        Reason.METHOD_NOT_ALLOWED,
                        "this sender does not allow opening without a" + " second factor");
                  }
                  ok = true;
                }
                case EMAIL_OTP -> {
                  if (code == null || code.isBlank()) {
                    throw new OpenLinkException(Reason.ANSWER_REQUIRED, "code is required");
                  }
                  ok =
                      s.otpHash() != null
                          && s.otpExpiresAt() != null
                          && s.otpExpiresAt().isAfter(now)
                          && OtpCode.matches(recipientId, code, s.otpHash());
                }
                case SHARED_SECRET -> {
                  if (secret == null || secret.isEmpty() || secret.length() > 1000) {
                    throw new OpenLinkException(Reason.ANSWER_REQUIRED, "secret is required");
                  }
                  if (s.secretHash() == null) {
                    ok = false;
                  } else if (checked != null && checked.secretHash().equals(s.secretHash())) {
                    ok = checked.matches();
                  } else {
                    ok = SharedSecretHash.verify(secret, s.secretHash());
                  }
                }
                default -> throw new IllegalStateException();
              }
              if (!ok) {
                int failed = links.recordFailure(recipientId, now, MAX_FAILED_ATTEMPTS);
                audit.append(event(AuditEventType.VERIFY_FAILED, s, client, now));
                if (failed >= MAX_FAILED_ATTEMPTS) {
                  audit.append(event(AuditEventType.RECIPIENT_LOCKED, s, client, now));
                  return Outcome.<Opened>refused(
                      new OpenLinkException(
                          Reason.LOCKED, "too many wrong answers: ask the sender", 0, null));
                }
                Reason r =
                    s.method() == VerificationMethod.SHARED_SECRET
                        ? Reason.WRONG_SECRET
                        : Reason.WRONG_CODE;
                return Outcome.<Opened>refused(
                    new OpenLinkException(
                        r,
                        s.method() == VerificationMethod.SHARED_SECRET
                            ? "the answer is not right"
                            : "the code is wrong or no longer valid",
                        MAX_FAILED_ATTEMPTS - failed,
                        null));
              }
              if (!links.recordOpen(
                  recipientId,
                  now,
                  s.method() == VerificationMethod.EMAIL_OTP ? s.otpHash() : null)) {
                throw new OpenLinkException(
                    Reason.OPEN_LIMIT, "this message cannot be opened again");
              }
              byte[] share;
              try (DataKey key =
                  keys.decryptDataKey(
                      new WrappedKey(s.serverShare()),
                      new KeyContext(s.tenantId(), envelopeId, "server-share:" + recipientId))) {
                share = key.bytes();
              }
              byte[] access = new byte[32];
              RANDOM.nextBytes(access);
              String accessToken = B64.encodeToString(access);
              links.insertSession(
                  sha256Hex(access),
                  new OpenSession(s.tenantId(), envelopeId, recipientId, now.plus(accessTtl)),
                  now);
              audit.append(event(AuditEventType.ENVELOPE_OPENED, s, client, now));
              String shareB64 = B64.encodeToString(share);
              Arrays.fill(share, (byte) 0);
              return Outcome.ok(new Opened(accessToken, accessTtl.toSeconds(), shareB64));
            })
        .get();
  }

  /** The recipient's own flattened JWE. */
  public String manifest(String envelopeId, String accessToken) {
    LinkState s = access(envelopeId, accessToken);
    try (InputStream in = blobs.get(new BlobKey(s.manifestBlob()))) {
      byte[] json = in.readNBytes((int) MAX_MANIFEST);
      return EnvelopeFormat.flatten(new String(json, StandardCharsets.UTF_8), s.recipientId());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An attachment's ciphertext stream; records ATTACHMENT_DOWNLOADED. */
  public AttachmentStream attachment(
      String envelopeId, String attachmentId, String accessToken, ClientInfo client) {
    LinkState s = access(envelopeId, accessToken);
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
      throw new UncheckedIOException(e);
    }
  }

  private LinkState access(String envelopeId, String accessToken) {
    if (accessToken == null || !accessToken.matches("[A-Za-z0-9_-]{43}")) {
      throw new OpenLinkException(Reason.SESSION_ENDED, "sign in again from the link");
    }
    String hash = sha256Hex(Base64.getUrlDecoder().decode(accessToken));
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
                  .orElseThrow(() -> new OpenLinkException(Reason.NOT_FOUND, "no such message"));
          refuseIfGone(s, now);
          return s;
        });
  }

  /** The recipient under lock, with a matching token, an envelope still open and not locked. */
  private LinkState usable(String envelopeId, String recipientId, String tokenHash, Instant now) {
    LinkState s =
        links
            .lock(envelopeId, recipientId)
            .filter(x -> tokenMatches(x, tokenHash))
            .orElseThrow(() -> new OpenLinkException(Reason.NOT_FOUND, "no such message"));
    refuseIfGone(s, now);
    if (s.status() == RecipientStatus.LOCKED) {
      throw new OpenLinkException(
          Reason.LOCKED, "too many wrong answers: ask the sender for a new link", 0, null);
    }
    return s;
  }

  private static boolean tokenMatches(LinkState s, String tokenHash) {
    return s.linkTokenHash() != null
        && MessageDigest.isEqual(
            s.linkTokenHash().getBytes(StandardCharsets.US_ASCII),
            tokenHash.getBytes(StandardCharsets.US_ASCII));
  }

  private static void refuseIfOpensUsedUp(LinkState s) {
    if (s.maxOpens() != null && s.openCount() >= s.maxOpens()) {
      throw new OpenLinkException(Reason.OPEN_LIMIT, "this message cannot be opened again");
    }
  }

  private static void refuseIfGone(LinkState s, Instant now) {
    if (s.envelopeStatus() == EnvelopeStatus.REVOKED) {
      throw new OpenLinkException(Reason.REVOKED, "the sender withdrew this message");
    }
    if (s.envelopeStatus() == EnvelopeStatus.EXPIRED
        || (s.expiresAt() != null && !s.expiresAt().isAfter(now))) {
      throw new OpenLinkException(Reason.EXPIRED, "this message has expired");
    }
    if (s.serverShare() == null || s.manifestBlob() == null) {
      throw new OpenLinkException(Reason.GONE, "this message is no longer available");
    }
  }

  /** Hex SHA-256 of the base64url link token (43 characters, 32 bytes). */
  static String tokenHash(String token) {
    if (token == null || !token.matches("[A-Za-z0-9_-]{43}")) {
      throw new OpenLinkException(Reason.NOT_FOUND, "no such message");
    }
    return sha256Hex(Base64.getUrlDecoder().decode(token));
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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

  private static AuditEvent event(
      AuditEventType type, LinkState s, ClientInfo client, Instant now) {
    return new AuditEvent(
        type,
        now,
        s.tenantId(),
        "recipient:" + s.recipientId(),
        s.envelopeId(),
        s.recipientId(),
        client.ip(),
        client.userAgent());
  }
}
