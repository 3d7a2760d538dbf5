package dev.sealpost.api.application;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.api.domain.AttachmentRecord;
import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClearTextGuard;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.DataKey;
import dev.sealpost.api.domain.EnvelopeRecord;
import dev.sealpost.api.domain.EnvelopeRepository;
import dev.sealpost.api.domain.EnvelopeStatus;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.PartnerDirectory;
import dev.sealpost.api.domain.PayloadTooLargeException;
import dev.sealpost.api.domain.PublicBaseUrl;
import dev.sealpost.api.domain.RecipientRecord;
import dev.sealpost.api.domain.RecipientStatus;
import dev.sealpost.api.domain.RecipientType;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.SecretSealer;
import dev.sealpost.api.domain.SharedSecretHash;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantRepository;
import dev.sealpost.api.domain.TenantSigner;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.domain.VerificationMethod;
import dev.sealpost.envelope.AttachmentSealer;
import dev.sealpost.envelope.EnvelopeSealer;
import dev.sealpost.envelope.LinkKek;
import dev.sealpost.envelope.LinkSecret;
import dev.sealpost.envelope.ManifestSigner;
import dev.sealpost.envelope.Recipient;
import dev.sealpost.envelope.SealedEnvelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Seals an envelope (the {@code POST /v1/envelopes} use case): checks the clear text, streams each
 * attachment through sdk-java's {@link AttachmentSealer} into the {@link BlobStore}, seals the
 * signed manifest for every recipient, then records everything in one transaction (rows, pending
 * notifications, the audit event, the idempotent answer). Any failure deletes the objects already
 * written, so nothing half-made remains.
 *
 * <p>Per consumer recipient: a fresh {@link LinkSecret} (given once to the sender when {@code
 * notify=false}; otherwise kept only inside a {@link SecretSealer} for the notification relay), a
 * random 256-bit server share stored only wrapped by the {@link KeyService}, the SHA-256 of the
 * link token, and a JWE entry under {@code LinkKek.derive(serverShare, linkShare, envelopeId)}.
 */
@ApplicationScoped
public class SealEnvelope {
  private static final Logger LOG = Logger.getLogger(SealEnvelope.class.getName());
  private static final Pattern EMAIL =
      Pattern.compile(
          "[^@\\s\\p{Cntrl}]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253})\\.[A-Za-z]{2,63}");
  private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}");
  private static final Pattern MEDIA_TYPE =
      Pattern.compile(
          "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");
  static final int MAX_SUBJECT = 200;
  static final int MAX_MESSAGE = 1 << 20;
  static final int MAX_HINT = 200;
  static final int MAX_SECRET = 200;
  static final int MIN_SECRET = 4;
  static final int MAX_OPENS = 10_000;
  static final String CUSTODY_VERSION = "1";

  private final Transactions tx;
  private final TenantRepository tenants;
  private final EnvelopeRepository envelopes;
  private final PartnerDirectory partners;
  private final KeyService keys;
  private final BlobStore blobs;
  private final AuditLog audit;
  private final SecretSealer secretBox;
  private final ClearTextGuard guard;
  private final Clock clock;
  private final PublicBaseUrl publicBaseUrl;
  private final long maxBytes;

  @Inject
  public SealEnvelope(
      Transactions tx,
      TenantRepository tenants,
      EnvelopeRepository envelopes,
      PartnerDirectory partners,
      KeyService keys,
      BlobStore blobs,
      AuditLog audit,
      SecretSealer secretBox,
      Clock clock,
      PublicBaseUrl publicBaseUrl,
      EnvelopeLimits limits) {
    this.tx = tx;
    this.tenants = tenants;
    this.envelopes = envelopes;
    this.partners = partners;
    this.keys = keys;
    this.blobs = blobs;
    this.audit = audit;
    this.secretBox = secretBox;
    this.guard = ClearTextGuard.standard();
    this.clock = clock;
    this.publicBaseUrl = publicBaseUrl;
    this.maxBytes = limits.maxBytes();
  }

  /** What the sender asked for, already parsed (types checked) at the edge. */
  public record Draft(
      String subject,
      String message,
      List<RecipientDraft> recipients,
      Optional<Duration> expiresIn,
      Optional<Integer> maxOpens,
      boolean notifyRecipients) {
    public Draft {
      recipients = List.copyOf(recipients);
    }
  }

  /** One recipient as asked; {@code field} is its JSON path for error messages. */
  public record RecipientDraft(
      String field,
      RecipientType type,
      String email,
      String locale,
      String partnerId,
      VerificationMethod method,
      String secret,
      String hint) {
    @Override
    public String toString() {
      return "RecipientDraft[" + field + ", " + type + "]";
    }
  }

  /** One attachment's plaintext, read once, in order. */
  public interface AttachmentInput {
    String field();

    String name();

    String mediaType();

    InputStream content();
  }

  public record CreatedRecipient(
      String id, RecipientType type, String email, String partnerId, Optional<String> link) {
    @Override
    public String toString() {
      return "CreatedRecipient[" + id + "]";
    }
  }

  public record Created(String envelopeId, List<CreatedRecipient> recipients) {}

  /** The envelope limit in bytes (plaintext of all attachments). */
  public long maxBytes() {
    return maxBytes;
  }

  /**
   * Seals. {@code attachments} are consumed in order, each stream fully before the next; {@code
   * inTransaction} runs in the transaction that records the envelope (for the idempotent answer).
   */
  public Created seal(
      Caller caller,
      Draft draft,
      Iterator<? extends AttachmentInput> attachments,
      ClientInfo client,
      Consumer<Created> inTransaction) {
    if (caller.role() != Role.SENDER) {
      throw new dev.sealpost.api.domain.ForbiddenException("this needs the SENDER role");
    }
    Tenant tenant =
        tx.inTransaction(
            () ->
                tenants.find(caller.tenantId()).orElseThrow(() -> new NotFoundException("tenant")));
    validate(draft, tenant);
    Map<Integer, JWK> partnerKeys = resolvePartners(draft, tenant);

    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Duration lifetime = draft.expiresIn().orElse(tenant.settings().defaultExpiry());
    Instant expires = now.plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
    String envelopeId = UUID.randomUUID().toString();
    String tenantId = tenant.id().value();
    BlobKey prefix = BlobKey.of(tenantId, envelopeId);
    TenantSigner signer = keys.signer(tenant.id());
    List<DataKey> clearKeys = new ArrayList<>();
    boolean recorded = false;
    try {
      EnvelopeSealer sealer =
          EnvelopeSealer.builder()
              .tenant(tenantId)
              .envelopeId(envelopeId)
              .createdAt(now)
              .expiresAt(expires)
              .signer(manifestSigner(signer))
              .build();

      List<AttachmentRecord> attachmentRows = new ArrayList<>();
      long[] plaintextTotal = {0};
      long ciphertextTotal = 0;
      int position = 0;
      while (attachments.hasNext()) {
        AttachmentInput in = attachments.next();
        if (position >= EnvelopeSealer.MAX_ATTACHMENTS) {
          throw new InvalidInputException(
              "attachments", "at most " + EnvelopeSealer.MAX_ATTACHMENTS + " attachments");
        }
        checkAttachment(in);
        AttachmentSealer a = sealer.attachment(in.name(), in.mediaType());
        BlobKey key = BlobKey.of(tenantId, envelopeId, a.id());
        long size;
        try (BlobStore.Upload up = blobs.upload(key);
            InputStream limited = new LimitedStream(in.content(), plaintextTotal, maxBytes)) {
          a.seal(limited, up.stream());
          size = up.commit();
        }
        ciphertextTotal += size;
        attachmentRows.add(
            new AttachmentRecord(
                a.id(), envelopeId, tenant.id(), position++, key.value(), size, now));
      }

      // Recipients: JWE entries for the sealer, rows for the database, links for the answer.
      List<Recipient> entries = new ArrayList<>();
      List<RecipientRecord> recipientRows = new ArrayList<>();
      List<CreatedRecipient> created = new ArrayList<>();
      Map<String, String> notifications = new LinkedHashMap<>();
      for (int i = 0; i < draft.recipients().size(); i++) {
        RecipientDraft r = draft.recipients().get(i);
        String recipientId = UUID.randomUUID().toString();
        if (r.type() == RecipientType.PARTNER) {
          JWK jwk = partnerKeys.get(i);
          entries.add(Recipient.partner(jwk));
          recipientRows.add(
              row(recipientId, envelopeId, tenant, i, r, jwk.getKeyID(), null, null, null, now));
          created.add(
              new CreatedRecipient(recipientId, r.type(), null, r.partnerId(), Optional.empty()));
          continue;
        }
        LinkSecret link = LinkSecret.generate();
        DataKey serverShare =
            keys.generateDataKey(
                new KeyContext(tenant.id(), envelopeId, "server-share:" + recipientId));
        clearKeys.add(serverShare);
        byte[] share = serverShare.bytes();
        try {
          entries.add(
              Recipient.link(recipientId, LinkKek.derive(share, link.linkShare(), envelopeId)));
        } finally {
          Arrays.fill(share, (byte) 0);
        }
        String secretHash =
            r.method() == VerificationMethod.SHARED_SECRET
                ? SharedSecretHash.hash(r.secret())
                : null;
        recipientRows.add(
            row(
                recipientId,
                envelopeId,
                tenant,
                i,
                r,
                recipientId,
                secretHash,
                sha256Hex(link.token()),
                serverShare.wrapped().value(),
                now));
        if (draft.notifyRecipients()) {
          notifications.put(
              recipientId, notificationPayload(tenant, envelopeId, recipientId, draft, link));
          created.add(
              new CreatedRecipient(recipientId, r.type(), r.email(), null, Optional.empty()));
        } else {
          String url =
              publicBaseUrl + "/v/" + envelopeId + "/" + recipientId + "#" + link.toBase64Url();
          created.add(
              new CreatedRecipient(recipientId, r.type(), r.email(), null, Optional.of(url)));
        }
      }
      String custodyKey = null;
      String custodyKid = null;
      if (tenant.settings().custody()) {
        DataKey custody = keys.generateDataKey(new KeyContext(tenant.id(), envelopeId, "custody"));
        clearKeys.add(custody);
        byte[] k = custody.bytes();
        try {
          Recipient c = Recipient.custody(CUSTODY_VERSION, k);
          entries.add(c);
        } finally {
          Arrays.fill(k, (byte) 0);
        }
        custodyKey = custody.wrapped().value();
        custodyKid = "custody:" + CUSTODY_VERSION;
      }

      SealedEnvelope sealed = sealer.seal(draft.subject(), draft.message(), entries);
      BlobKey manifestKey = BlobKey.of(tenantId, envelopeId, "manifest.jwe");
      long manifestSize =
          blobs.put(
              manifestKey,
              new ByteArrayInputStream(sealed.json().getBytes(StandardCharsets.UTF_8)));

      EnvelopeRecord envelope =
          new EnvelopeRecord(
              envelopeId,
              tenant.id(),
              caller.apiKeyId(),
              EnvelopeStatus.ACTIVE,
              now,
              expires,
              null,
              null,
              null,
              draft.maxOpens().orElse(null),
              draft.notifyRecipients(),
              signer.keyId(),
              manifestKey.value(),
              manifestSize,
              manifestSize + ciphertextTotal,
              custodyKey,
              custodyKid);
      Created result = new Created(envelopeId, List.copyOf(created));
      tx.run(
          () -> {
            envelopes.insert(envelope, recipientRows, attachmentRows);
            notifications.forEach(
                (recipientId, payload) ->
                    envelopes.insertNotification(
                        UUID.randomUUID().toString(),
                        tenant.id(),
                        envelopeId,
                        recipientId,
                        payload,
                        now));
            audit.append(
                AuditEvent.of(
                        AuditEventType.ENVELOPE_CREATED, tenant.id(), caller.actor(), client, now)
                    .withEnvelope(envelopeId, null));
            inTransaction.accept(result);
          });
      recorded = true;
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      // sdk-java refuses a sealing argument (e.g. a name too long): name the part if we can.
      throw new InvalidInputException("envelope", "cannot be sealed: " + e.getMessage());
    } finally {
      clearKeys.forEach(DataKey::destroy);
      if (!recorded) {
        deleteQuietly(prefix);
      }
    }
  }

  private void deleteQuietly(BlobKey prefix) {
    try {
      blobs.deleteAll(prefix);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "could not delete the objects of a failed seal under " + prefix, e);
    }
  }

  private static RecipientRecord row(
      String id,
      String envelopeId,
      Tenant tenant,
      int position,
      RecipientDraft r,
      String kid,
      String secretHash,
      String linkTokenHash,
      String serverShare,
      Instant now) {
    return new RecipientRecord(
        id,
        envelopeId,
        tenant.id(),
        position,
        r.type(),
        r.email(),
        r.locale(),
        r.partnerId(),
        kid,
        r.method(),
        secretHash,
        r.hint(),
        linkTokenHash,
        serverShare,
        RecipientStatus.PENDING,
        null,
        null,
        null,
        null,
        0,
        0,
        now);
  }

  /** The relay's work order: the subject (checked clear text) and the link secret, sealed. */
  private String notificationPayload(
      Tenant tenant, String envelopeId, String recipientId, Draft draft, LinkSecret link) {
    byte[] secret = link.toBase64Url().getBytes(StandardCharsets.US_ASCII);
    try {
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("v", 1);
      payload.put("subject", draft.subject());
      payload.put(
          "linkSecret", secretBox.seal(linkSecretContext(tenant, envelopeId, recipientId), secret));
      return JSONObjectUtils.toJSONString(payload);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** The context under which a pending notification's link secret is sealed (for the relay). */
  public static KeyContext linkSecretContext(Tenant tenant, String envelopeId, String recipientId) {
    return new KeyContext(tenant.id(), envelopeId, "link-secret:" + recipientId);
  }

  private void validate(Draft d, Tenant tenant) {
    requireText("subject", d.subject(), 1, MAX_SUBJECT);
    guard.check("subject", d.subject());
    if (d.message() == null) {
      throw new InvalidInputException("message", "is required (it may be empty)");
    }
    if (d.message().length() > MAX_MESSAGE) {
      throw new InvalidInputException(
          "message", "at most " + MAX_MESSAGE + " characters; attach longer text as a file");
    }
    int max = EnvelopeSealer.MAX_RECIPIENTS - (tenant.settings().custody() ? 1 : 0);
    if (d.recipients().isEmpty() || d.recipients().size() > max) {
      throw new InvalidInputException("recipients", "must list 1 to " + max + " recipients");
    }
    Set<String> seen = new HashSet<>();
    for (RecipientDraft r : d.recipients()) {
      if (r.type() == RecipientType.PARTNER) {
        requireText(r.field() + ".partnerId", r.partnerId(), 1, 36);
        if (!seen.add("partner:" + r.partnerId())) {
          throw new InvalidInputException(r.field() + ".partnerId", "is listed twice");
        }
        continue;
      }
      if (r.email() == null || r.email().length() > 320 || !EMAIL.matcher(r.email()).matches()) {
        throw new InvalidInputException(r.field() + ".email", "must be an email address");
      }
      guard.check(r.field() + ".email", r.email());
      if (r.locale() != null
          && (r.locale().length() > 35 || !LOCALE.matcher(r.locale()).matches())) {
        throw new InvalidInputException(
            r.field() + ".locale", "must be a language tag such as fr or pt-BR");
      }
      if (r.method() == null) {
        throw new InvalidInputException(
            r.field() + ".verification.method", "must be EMAIL_OTP, SHARED_SECRET or NONE");
      }
      if (!tenant.settings().allowedVerificationMethods().contains(r.method())) {
        throw new InvalidInputException(
            r.field() + ".verification.method", r.method() + " is not allowed by this tenant");
      }
      if (r.method() == VerificationMethod.SHARED_SECRET) {
        if (r.secret() == null
            || r.secret().length() < MIN_SECRET
            || r.secret().length() > MAX_SECRET) {
          throw new InvalidInputException(
              r.field() + ".verification.secret",
              "is required for SHARED_SECRET: " + MIN_SECRET + " to " + MAX_SECRET + " characters");
        }
        if (r.hint() != null) {
          requireText(r.field() + ".verification.hint", r.hint(), 1, MAX_HINT);
          // The hint is shown to whoever holds the link, before any verification.
          guard.check(r.field() + ".verification.hint", r.hint());
          if (r.hint().toLowerCase().contains(r.secret().toLowerCase())) {
            throw new InvalidInputException(
                r.field() + ".verification.hint", "must not contain the secret");
          }
        }
      } else if (r.secret() != null || r.hint() != null) {
        throw new InvalidInputException(
            r.field() + ".verification", "secret and hint belong to SHARED_SECRET only");
      }
    }
    if (d.expiresIn().isPresent()) {
      Duration e = d.expiresIn().get();
      if (e.isNegative() || e.isZero() || e.compareTo(Duration.ofMinutes(5)) < 0) {
        throw new InvalidInputException("policy.expiresIn", "must be at least PT5M");
      }
      if (e.compareTo(tenant.settings().maxExpiry()) > 0) {
        throw new InvalidInputException(
            "policy.expiresIn",
            "must not exceed this tenant's maximum " + tenant.settings().maxExpiry());
      }
    }
    if (d.maxOpens().isPresent() && (d.maxOpens().get() < 1 || d.maxOpens().get() > MAX_OPENS)) {
      throw new InvalidInputException("policy.maxOpens", "must be between 1 and " + MAX_OPENS);
    }
  }

  private Map<Integer, JWK> resolvePartners(Draft d, Tenant tenant) {
    Map<Integer, JWK> keysByIndex = new LinkedHashMap<>();
    Set<String> kids = new HashSet<>();
    for (int i = 0; i < d.recipients().size(); i++) {
      RecipientDraft r = d.recipients().get(i);
      if (r.type() != RecipientType.PARTNER) {
        continue;
      }
      String field = r.field() + ".partnerId";
      String jwks =
          tx.inTransaction(() -> partners.publicJwks(tenant.id(), r.partnerId()))
              .orElseThrow(
                  () -> new InvalidInputException(field, "no such partner in this tenant"));
      JWK key =
          encryptionKey(jwks)
              .orElseThrow(
                  () ->
                      new InvalidInputException(field, "the partner has no usable encryption key"));
      if (!kids.add(key.getKeyID())) {
        throw new InvalidInputException(field, "two partners share one key id");
      }
      try {
        Recipient.partner(key);
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(
            field, "the partner's key is not usable: " + e.getMessage());
      }
      keysByIndex.put(i, key);
    }
    return keysByIndex;
  }

  /** The partner's current key: the first public RSA or P-256 key meant for encryption. */
  static Optional<JWK> encryptionKey(String jwksJson) {
    try {
      List<JWK> candidates;
      Map<String, Object> json = JSONObjectUtils.parse(jwksJson);
      candidates =
          json.containsKey("keys") ? JWKSet.parse(json).getKeys() : List.of(JWK.parse(json));
      return candidates.stream()
          .filter(k -> k.getKeyUse() == null || k.getKeyUse() == KeyUse.ENCRYPTION)
          .filter(k -> k.getKeyID() != null)
          .map(JWK::toPublicJWK)
          .findFirst();
    } catch (java.text.ParseException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void checkAttachment(AttachmentInput in) {
    requireText(in.field() + ".name", in.name(), 1, 255);
    if (in.name().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new InvalidInputException(in.field() + ".name", "must not contain control characters");
    }
    if (in.mediaType() == null || !MEDIA_TYPE.matcher(in.mediaType()).matches()) {
      throw new InvalidInputException(
          in.field() + ".contentType", "must be a media type such as application/pdf");
    }
  }

  private static void requireText(String field, String value, int min, int max) {
    if (value == null || value.isBlank() || value.length() < min || value.length() > max) {
      throw new InvalidInputException(field, "must be " + min + " to " + max + " characters");
    }
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ManifestSigner manifestSigner(TenantSigner signer) {
    return new ManifestSigner() {
      @Override
      public String keyId() {
        return signer.keyId();
      }

      @Override
      public byte[] sign(byte[] signingInput) {
        return signer.sign(signingInput);
      }
    };
  }

  /** Counts plaintext across all attachments of the envelope; past the limit the request is 413. */
  private static final class LimitedStream extends FilterInputStream {
    private final long[] total;
    private final long max;

    LimitedStream(InputStream in, long[] total, long max) {
      super(in);
      this.total = total;
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(long n) {
      total[0] += n;
      if (total[0] > max) {
        throw new PayloadTooLargeException(
            "an envelope may hold at most " + max + " bytes of attachments");
      }
    }

    @Override
    public void close() {
      // the caller owns the underlying stream
    }
  }
}
