package dev.sealpost.api.application;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.api.application.EnvelopeIntake.Accepted;
import dev.sealpost.api.application.SealEnvelope.CreatedRecipient;
import dev.sealpost.api.application.SealEnvelope.RecipientDraft;
import dev.sealpost.api.domain.DataKey;
import dev.sealpost.api.domain.Digests;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.PublicBaseUrl;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.RecipientRecord;
import dev.sealpost.api.domain.RecipientStatus;
import dev.sealpost.api.domain.RecipientType;
import dev.sealpost.api.domain.SecretSealer;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.VerificationMethod;
import dev.sealpost.envelope.LinkKek;
import dev.sealpost.envelope.LinkSecret;
import dev.sealpost.envelope.Recipient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The second step of {@link SealEnvelope}: the keys of each recipient of one envelope, and what the
 * envelope records about them.
 *
 * <p>Per consumer recipient: a fresh {@link LinkSecret} (given once to the sender when {@code
 * notify=false}; otherwise kept only sealed by the {@link SecretSealer} for the notification
 * relay), a random 256-bit server share stored only wrapped by the {@link KeyService}, the SHA-256
 * of the link token, and a JWE entry under {@code LinkKek.derive(serverShare, linkShare,
 * envelopeId)}. Per partner recipient: a JWE entry for its public key. With custody on: one more
 * entry for the tenant's custody key.
 */
@ApplicationScoped
public class RecipientKeys {
  static final String CUSTODY_VERSION = "1";

  private final KeyService keys;
  private final SecretSealer secrets;
  private final PublicBaseUrl publicBaseUrl;

  @Inject
  public RecipientKeys(KeyService keys, SecretSealer secrets, PublicBaseUrl publicBaseUrl) {
    this.keys = keys;
    this.secrets = secrets;
    this.publicBaseUrl = publicBaseUrl;
  }

  /**
   * The recipients of one envelope, keyed: JWE entries for the sealer, rows for the database,
   * pending notifications (recipient id to relay payload) and the answer for the sender. Holds the
   * clear data keys until {@link #close()}.
   */
  public static final class Keyed implements AutoCloseable {
    private final List<Recipient> entries = new ArrayList<>();
    private final List<RecipientRecord> rows = new ArrayList<>();
    private final List<CreatedRecipient> created = new ArrayList<>();
    private final Map<RecipientId, String> notifications = new LinkedHashMap<>();
    private final List<DataKey> clearKeys = new ArrayList<>();
    private String custodyKey;
    private String custodyKid;

    public List<Recipient> entries() {
      return List.copyOf(entries);
    }

    public List<RecipientRecord> rows() {
      return List.copyOf(rows);
    }

    public List<CreatedRecipient> created() {
      return List.copyOf(created);
    }

    public Map<RecipientId, String> notifications() {
      return Collections.unmodifiableMap(notifications);
    }

    /** The custody data key, wrapped; null without custody. */
    public String custodyKey() {
      return custodyKey;
    }

    /** {@code custody:<version>}; null without custody. */
    public String custodyKid() {
      return custodyKid;
    }

    /** Destroys the clear data keys. */
    @Override
    public void close() {
      clearKeys.forEach(DataKey::destroy);
    }
  }

  /** Makes the keys of every recipient of {@code accepted}, in order, then the custody entry. */
  public Keyed issue(Accepted accepted, EnvelopeId envelopeId, Instant now) {
    Keyed keyed = new Keyed();
    try {
      List<RecipientDraft> drafts = accepted.draft().recipients();
      for (int i = 0; i < drafts.size(); i++) {
        RecipientDraft r = drafts.get(i);
        if (r.type() == RecipientType.PARTNER) {
          partner(keyed, accepted, envelopeId, i, now);
        } else {
          consumer(keyed, accepted, envelopeId, i, now);
        }
      }
      if (accepted.tenant().settings().custody()) {
        custody(keyed, accepted.tenant(), envelopeId);
      }
      return keyed;
    } catch (RuntimeException | Error e) {
      keyed.close();
      throw e;
    }
  }

  private static void partner(
      Keyed keyed, Accepted accepted, EnvelopeId envelopeId, int position, Instant now) {
    RecipientDraft r = accepted.draft().recipients().get(position);
    RecipientId recipientId = RecipientId.random();
    JWK jwk = accepted.partnerKeys().get(position);
    keyed.entries.add(Recipient.partner(jwk));
    keyed.rows.add(
        row(
            recipientId,
            envelopeId,
            accepted.tenant(),
            position,
            r,
            jwk.getKeyID(),
            null,
            null,
            null,
            now));
    keyed.created.add(
        new CreatedRecipient(
            recipientId, r.type(), null, new PartnerId(r.partnerId()), Optional.empty()));
  }

  private void consumer(
      Keyed keyed, Accepted accepted, EnvelopeId envelopeId, int position, Instant now) {
    Tenant tenant = accepted.tenant();
    RecipientDraft r = accepted.draft().recipients().get(position);
    RecipientId recipientId = RecipientId.random();
    LinkSecret link = LinkSecret.generate();
    DataKey serverShare =
        keys.generateDataKey(
            new KeyContext(tenant.id(), envelopeId, "server-share:" + recipientId));
    keyed.clearKeys.add(serverShare);
    byte[] share = serverShare.bytes();
    try {
      keyed.entries.add(
          Recipient.link(
              recipientId.value(), LinkKek.derive(share, link.linkShare(), envelopeId.value())));
    } finally {
      Arrays.fill(share, (byte) 0);
    }
    String secretHash =
        r.method() == VerificationMethod.SHARED_SECRET
            ? Objects.requireNonNull(accepted.secretHashes().get(position), "secret hash")
            : null;
    keyed.rows.add(
        row(
            recipientId,
            envelopeId,
            tenant,
            position,
            r,
            recipientId.value(),
            secretHash,
            Digests.sha256Hex(link.token()),
            serverShare.wrapped().value(),
            now));
    if (accepted.draft().notifyRecipients()) {
      keyed.notifications.put(
          recipientId,
          notificationPayload(tenant, envelopeId, recipientId, accepted.draft().subject(), link));
      keyed.created.add(
          new CreatedRecipient(recipientId, r.type(), r.email(), null, Optional.empty()));
    } else {
      String url = publicBaseUrl.consumerLink(envelopeId, recipientId, link.toBase64Url());
      keyed.created.add(
          new CreatedRecipient(recipientId, r.type(), r.email(), null, Optional.of(url)));
    }
  }

  private void custody(Keyed keyed, Tenant tenant, EnvelopeId envelopeId) {
    DataKey custody = keys.generateDataKey(new KeyContext(tenant.id(), envelopeId, "custody"));
    keyed.clearKeys.add(custody);
    byte[] k = custody.bytes();
    try {
      keyed.entries.add(Recipient.custody(CUSTODY_VERSION, k));
    } finally {
      Arrays.fill(k, (byte) 0);
    }
    keyed.custodyKey = custody.wrapped().value();
    keyed.custodyKid = "custody:" + CUSTODY_VERSION;
  }

  /** The relay's work order: the subject (checked clear text) and the link secret, sealed. */
  private String notificationPayload(
      Tenant tenant,
      EnvelopeId envelopeId,
      RecipientId recipientId,
      String subject,
      LinkSecret link) {
    byte[] secret = link.toBase64Url().getBytes(StandardCharsets.US_ASCII);
    try {
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("v", 1);
      payload.put("subject", subject);
      payload.put(
          "linkSecret", secrets.seal(linkSecretContext(tenant, envelopeId, recipientId), secret));
      return JSONObjectUtils.toJSONString(payload);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** The context under which a pending notification's link secret is sealed (for the relay). */
  public static KeyContext linkSecretContext(
      Tenant tenant, EnvelopeId envelopeId, RecipientId recipientId) {
    return new KeyContext(tenant.id(), envelopeId, "link-secret:" + recipientId);
  }

  private static RecipientRecord row(
      RecipientId id,
      EnvelopeId envelopeId,
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
        r.partnerId() == null ? null : new PartnerId(r.partnerId()),
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
}
