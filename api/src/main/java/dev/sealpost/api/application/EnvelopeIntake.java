package dev.sealpost.api.application;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.api.application.SealEnvelope.AttachmentInput;
import dev.sealpost.api.application.SealEnvelope.Draft;
import dev.sealpost.api.application.SealEnvelope.RecipientDraft;
import dev.sealpost.api.domain.AttachmentName;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClearTextGuard;
import dev.sealpost.api.domain.ExpiryCeiling;
import dev.sealpost.api.domain.ForbiddenException;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.PartnerDirectory;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.RecipientType;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantRepository;
import dev.sealpost.api.domain.TenantSettings;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.domain.VerificationMethod;
import dev.sealpost.envelope.EnvelopeSealer;
import dev.sealpost.envelope.Recipient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The first step of {@link SealEnvelope}: decides whether a draft may be sealed, before anything is
 * written. Checks the sender's role, the limits of every field, the clear-text guard (subject,
 * addresses, hints are stored and mailed in clear), the tenant's policy (verification methods,
 * expiry, recipient count with custody), resolves each partner recipient to its current public
 * encryption key ({@link PartnerDirectory}, outside any transaction: it may fetch a JWKS) and
 * hashes each SHARED_SECRET within the {@link SecretHashBudget}, so the expensive and refusable
 * steps come before any attachment is read.
 */
@ApplicationScoped
public class EnvelopeIntake {
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

  private final Transactions tx;
  private final TenantRepository tenants;
  private final PartnerDirectory partners;
  private final SecretHashBudget hashing;
  private final ClearTextGuard guard;
  private final ExpiryCeiling ceiling;

  @Inject
  public EnvelopeIntake(
      Transactions tx,
      TenantRepository tenants,
      PartnerDirectory partners,
      ExpiryCeiling ceiling,
      SecretHashBudget hashing) {
    this.tx = tx;
    this.tenants = tenants;
    this.partners = partners;
    this.hashing = hashing;
    this.guard = ClearTextGuard.standard();
    this.ceiling = ceiling;
  }

  /**
   * A draft accepted for sealing: the caller's tenant and, by recipient index, each partner
   * recipient's public encryption key and each SHARED_SECRET recipient's stored hash.
   */
  public record Accepted(
      Tenant tenant,
      Draft draft,
      Map<Integer, JWK> partnerKeys,
      Map<Integer, String> secretHashes) {
    public Accepted {
      partnerKeys = Map.copyOf(partnerKeys);
      secretHashes = Map.copyOf(secretHashes);
    }
  }

  /**
   * Accepts the draft or throws the first problem found ({@link ForbiddenException}, {@link
   * NotFoundException} for a vanished tenant, {@link InvalidInputException} naming the field,
   * {@link dev.sealpost.api.domain.RetryLaterException} when a partner's keys or the hashing budget
   * are not available now). Call outside any transaction.
   */
  public Accepted accept(Caller caller, Draft draft) {
    if (caller.role() != Role.SENDER) {
      throw new ForbiddenException("this needs the SENDER role");
    }
    Tenant tenant =
        tx.inTransaction(
            () ->
                tenants.find(caller.tenantId()).orElseThrow(() -> new NotFoundException("tenant")));
    validate(draft, tenant.settings());
    Map<Integer, JWK> partnerKeys = resolvePartners(draft, tenant);
    return new Accepted(tenant, draft, partnerKeys, hashSecrets(draft, tenant));
  }

  /** The stored hash of every SHARED_SECRET, by recipient index, within the hashing budget. */
  private Map<Integer, String> hashSecrets(Draft d, Tenant tenant) {
    List<Integer> positions = new ArrayList<>();
    List<String> secrets = new ArrayList<>();
    for (int i = 0; i < d.recipients().size(); i++) {
      RecipientDraft r = d.recipients().get(i);
      if (r.type() != RecipientType.PARTNER && r.method() == VerificationMethod.SHARED_SECRET) {
        positions.add(i);
        secrets.add(r.secret());
      }
    }
    List<String> hashes = hashing.hashAll(tenant.id(), secrets);
    Map<Integer, String> byIndex = new LinkedHashMap<>();
    for (int i = 0; i < positions.size(); i++) {
      byIndex.put(positions.get(i), hashes.get(i));
    }
    return byIndex;
  }

  /** Checks one attachment's name and media type; {@code position} counts from 0. */
  public static void checkAttachment(int position, AttachmentInput in) {
    if (position >= EnvelopeSealer.MAX_ATTACHMENTS) {
      throw new InvalidInputException(
          "attachments", "at most " + EnvelopeSealer.MAX_ATTACHMENTS + " attachments");
    }
    requireText(in.field() + ".name", in.name(), 1, 255);
    AttachmentName.check(in.field() + ".name", in.name());
    if (in.mediaType() == null || !MEDIA_TYPE.matcher(in.mediaType()).matches()) {
      throw new InvalidInputException(
          in.field() + ".contentType", "must be a media type such as application/pdf");
    }
  }

  private void validate(Draft d, TenantSettings settings) {
    requireText("subject", d.subject(), 1, MAX_SUBJECT);
    guard.check("subject", d.subject());
    if (d.message() == null) {
      throw new InvalidInputException("message", "is required (it may be empty)");
    }
    if (d.message().length() > MAX_MESSAGE) {
      throw new InvalidInputException(
          "message", "at most " + MAX_MESSAGE + " characters; attach longer text as a file");
    }
    int max = EnvelopeSealer.MAX_RECIPIENTS - (settings.custody() ? 1 : 0);
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
      } else {
        validateConsumer(r, settings);
      }
    }
    validatePolicy(d, settings);
  }

  private void validateConsumer(RecipientDraft r, TenantSettings settings) {
    if (r.email() == null || r.email().length() > 320 || !EMAIL.matcher(r.email()).matches()) {
      throw new InvalidInputException(r.field() + ".email", "must be an email address");
    }
    guard.check(r.field() + ".email", r.email());
    if (r.locale() != null && (r.locale().length() > 35 || !LOCALE.matcher(r.locale()).matches())) {
      throw new InvalidInputException(
          r.field() + ".locale", "must be a language tag such as fr or pt-BR");
    }
    if (r.method() == null) {
      throw new InvalidInputException(
          r.field() + ".verification.method", "must be EMAIL_OTP, SHARED_SECRET or NONE");
    }
    if (!settings.allowedVerificationMethods().contains(r.method())) {
      throw new InvalidInputException(
          r.field() + ".verification.method", r.method() + " is not allowed by this tenant");
    }
    if (r.method() == VerificationMethod.SHARED_SECRET) {
      validateSharedSecret(r);
    } else if (r.secret() != null || r.hint() != null) {
      throw new InvalidInputException(
          r.field() + ".verification", "secret and hint belong to SHARED_SECRET only");
    }
  }

  private void validateSharedSecret(RecipientDraft r) {
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
  }

  private void validatePolicy(Draft d, TenantSettings settings) {
    if (d.expiresIn().isPresent()) {
      Duration e = d.expiresIn().get();
      if (e.isNegative() || e.isZero() || e.compareTo(Duration.ofMinutes(5)) < 0) {
        throw new InvalidInputException("policy.expiresIn", "must be at least PT5M");
      }
      ceiling.check("policy.expiresIn", e);
      if (e.compareTo(settings.maxExpiry()) > 0) {
        throw new InvalidInputException(
            "policy.expiresIn", "must not exceed this tenant's maximum " + settings.maxExpiry());
      }
    } else if (settings.defaultExpiry().compareTo(ceiling.value()) > 0) {
      // A tenant setting older than the ceiling: never seal beyond it.
      throw new InvalidInputException(
          "policy.expiresIn",
          "is required: this tenant's defaultExpiry exceeds the server's maximum; set it lower");
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
          partners
              .publicJwks(tenant.id(), new PartnerId(r.partnerId()))
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

  private static void requireText(String field, String value, int min, int max) {
    if (value == null || value.isBlank() || value.length() < min || value.length() > max) {
      throw new InvalidInputException(field, "must be " + min + " to " + max + " characters");
    }
  }
}
