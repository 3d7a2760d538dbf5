package dev.sealpost.api.application;

import dev.sealpost.api.application.EnvelopeIntake.Accepted;
import dev.sealpost.api.application.EnvelopeRecording.Rows;
import dev.sealpost.api.application.RecipientKeys.Keyed;
import dev.sealpost.api.domain.AttachmentRecord;
import dev.sealpost.api.domain.BlobCleanup;
import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.EnvelopeRecord;
import dev.sealpost.api.domain.EnvelopeStatus;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.RecipientType;
import dev.sealpost.api.domain.StorageUnavailableException;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantSigner;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.domain.VerificationMethod;
import dev.sealpost.envelope.AttachmentSealer;
import dev.sealpost.envelope.EnvelopeSealer;
import dev.sealpost.envelope.ManifestSigner;
import dev.sealpost.envelope.SealedEnvelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Seals an envelope (the {@code POST /v1/envelopes} use case) in three steps: {@link
 * EnvelopeIntake} accepts the draft (role, limits, clear text, tenant policy, partner keys);
 * attachments stream through sdk-java's {@link AttachmentSealer} into the {@link BlobStore} and
 * {@link RecipientKeys} makes every recipient's keys for the signed manifest; {@link
 * EnvelopeRecording} records everything in one transaction (rows, pending notifications, the audit
 * event, the idempotent answer). Any failure deletes the objects already written, so nothing
 * half-made remains; a crash (or a store that cannot even delete) leaves a {@link BlobCleanup} row,
 * written before the first object, and {@link SweepOrphanBlobs} deletes them later.
 */
@ApplicationScoped
public class SealEnvelope {
  private static final Logger LOG = Logger.getLogger(SealEnvelope.class.getName());

  private final EnvelopeIntake intake;
  private final RecipientKeys recipientKeys;
  private final EnvelopeRecording recording;
  private final KeyService keys;
  private final BlobStore blobs;
  private final Clock clock;
  private final long maxBytes;
  private final Transactions tx;
  private final BlobCleanup cleanup;
  private final Duration orphanGrace;
  private final ReplyPolicy replyPolicy;

  @Inject
  public SealEnvelope(
      EnvelopeIntake intake,
      RecipientKeys recipientKeys,
      EnvelopeRecording recording,
      KeyService keys,
      BlobStore blobs,
      Clock clock,
      EnvelopeLimits limits,
      Transactions tx,
      BlobCleanup cleanup,
      OrphanBlobPolicy orphans,
      ReplyPolicy replyPolicy) {
    this.intake = intake;
    this.recipientKeys = recipientKeys;
    this.recording = recording;
    this.keys = keys;
    this.blobs = blobs;
    this.clock = clock;
    this.maxBytes = limits.maxBytes();
    this.tx = tx;
    this.cleanup = cleanup;
    this.orphanGrace = orphans.grace();
    this.replyPolicy = replyPolicy;
  }

  /** What the sender asked for, already parsed (types checked) at the edge. */
  public record Draft(
      String subject,
      String message,
      List<RecipientDraft> recipients,
      Optional<Duration> expiresIn,
      Optional<Integer> maxOpens,
      boolean notifyRecipients,
      Optional<Boolean> allowReply) {
    public Draft {
      recipients = List.copyOf(recipients);
    }

    /** A draft that leaves {@code policy.allowReply} to the tenant's default. */
    public Draft(
        String subject,
        String message,
        List<RecipientDraft> recipients,
        Optional<Duration> expiresIn,
        Optional<Integer> maxOpens,
        boolean notifyRecipients) {
      this(subject, message, recipients, expiresIn, maxOpens, notifyRecipients, Optional.empty());
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
      RecipientId id,
      RecipientType type,
      String email,
      PartnerId partnerId,
      Optional<String> link) {
    @Override
    public String toString() {
      return "CreatedRecipient[" + id + "]";
    }
  }

  public record Created(EnvelopeId envelopeId, List<CreatedRecipient> recipients) {}

  /** The envelope limit in bytes (plaintext of all attachments). */
  public long maxBytes() {
    return maxBytes;
  }

  /** The envelope being sealed: its identity and times, fixed before anything is written. */
  private record Sealing(
      Accepted accepted,
      EnvelopeId envelopeId,
      Instant now,
      Instant expires,
      TenantSigner signer,
      boolean allowReply) {
    Tenant tenant() {
      return accepted.tenant();
    }

    BlobKey key(String name) {
      return BlobKey.of(tenant().id().value(), envelopeId.value(), name);
    }
  }

  /** The attachments as written: their rows and their ciphertext size in total. */
  private record Attachments(List<AttachmentRecord> rows, long ciphertextSize) {}

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
    Accepted accepted = intake.accept(caller, draft);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Duration lifetime = draft.expiresIn().orElse(accepted.tenant().settings().defaultExpiry());
    Instant expires = now.plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
    EnvelopeId envelopeId = EnvelopeId.random();
    BlobKey prefix = BlobKey.of(accepted.tenant().id().value(), envelopeId.value());
    Sealing s =
        new Sealing(
            accepted,
            envelopeId,
            now,
            expires,
            keys.signer(accepted.tenant().id()),
            replyPolicy.decide(accepted.tenant(), draft.allowReply()));
    // Before any object exists: should this seal never record its envelope, the sweep deletes them.
    tx.run(() -> cleanup.expect(prefix, now.plus(orphanGrace)));
    boolean recorded = false;
    try {
      EnvelopeSealer sealer =
          EnvelopeSealer.builder()
              .tenant(s.tenant().id().value())
              .envelopeId(envelopeId.value())
              .createdAt(now)
              .expiresAt(expires)
              .signer(manifestSigner(s.signer()))
              .build();
      Attachments written = writeAttachments(s, sealer, attachments);
      try (Keyed keyed = recipientKeys.issue(accepted, envelopeId, now)) {
        EnvelopeRecord envelope = writeManifest(s, sealer, keyed, caller, written.ciphertextSize());
        Created result = new Created(envelopeId, keyed.created());
        Rows rows = new Rows(envelope, keyed.rows(), written.rows(), keyed.notifications());
        recording.record(rows, caller.actor(), client, () -> inTransaction.accept(result));
        recorded = true;
        return result;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      // sdk-java refuses a sealing argument (e.g. a name too long): name the part if we can.
      throw new InvalidInputException("envelope", "cannot be sealed: " + e.getMessage());
    } finally {
      if (!recorded) {
        deleteQuietly(prefix);
      }
    }
  }

  /** Streams each attachment through its sealer into the blob store, within the size limit. */
  private Attachments writeAttachments(
      Sealing s, EnvelopeSealer sealer, Iterator<? extends AttachmentInput> attachments)
      throws IOException {
    PlaintextLimit limit = new PlaintextLimit(maxBytes);
    List<AttachmentRecord> rows = new ArrayList<>();
    long ciphertextTotal = 0;
    int position = 0;
    while (attachments.hasNext()) {
      AttachmentInput in = attachments.next();
      EnvelopeIntake.checkAttachment(position, in);
      AttachmentSealer a = sealer.attachment(in.name(), in.mediaType());
      BlobKey key = s.key(a.id());
      long size;
      try (BlobStore.Upload up = storage(() -> blobs.upload(key));
          InputStream limited = limit.count(in.content())) {
        a.seal(limited, new StorageOut(up.stream()));
        size = storage(up::commit);
      }
      ciphertextTotal += size;
      rows.add(
          new AttachmentRecord(
              a.id(), s.envelopeId(), s.tenant().id(), position++, key.value(), size, s.now()));
    }
    return new Attachments(rows, ciphertextTotal);
  }

  /** Seals the signed manifest for every recipient, writes it, and describes the envelope. */
  private EnvelopeRecord writeManifest(
      Sealing s, EnvelopeSealer sealer, Keyed keyed, Caller caller, long attachmentsSize)
      throws IOException {
    Draft draft = s.accepted().draft();
    SealedEnvelope sealed = sealer.seal(draft.subject(), draft.message(), keyed.entries());
    BlobKey manifestKey = s.key("manifest.jwe");
    byte[] manifest = sealed.json().getBytes(StandardCharsets.UTF_8);
    long manifestSize = storage(() -> blobs.put(manifestKey, new ByteArrayInputStream(manifest)));
    return new EnvelopeRecord(
        s.envelopeId(),
        s.tenant().id(),
        caller.apiKeyId().value(),
        EnvelopeStatus.ACTIVE,
        s.now(),
        s.expires(),
        null,
        null,
        null,
        draft.maxOpens().orElse(null),
        draft.notifyRecipients(),
        s.signer().keyId(),
        manifestKey.value(),
        manifestSize,
        manifestSize + attachmentsSize,
        keyed.custodyKey(),
        keyed.custodyKid(),
        s.allowReply());
  }

  /** A blob store call whose IOException means the store is unavailable (not the client's body). */
  private interface StorageCall<T> {
    T call() throws IOException;
  }

  private static <T> T storage(StorageCall<T> call) {
    try {
      return call.call();
    } catch (IOException e) {
      throw new StorageUnavailableException("blob write failed", e);
    }
  }

  /**
   * The upload stream: a write that fails is the store's failure (S3 down, disk full), which the
   * caller must see as retryable, unlike a failed read of the client's own body.
   */
  private static final class StorageOut extends FilterOutputStream {
    StorageOut(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      storage(
          () -> {
            out.write(b, off, len);
            return null;
          });
    }

    @Override
    public void write(int b) {
      storage(
          () -> {
            out.write(b);
            return null;
          });
    }

    @Override
    public void flush() {
      storage(
          () -> {
            out.flush();
            return null;
          });
    }

    @Override
    public void close() {
      // the Upload owns the underlying stream: commit or close() ends it
    }
  }

  private void deleteQuietly(BlobKey prefix) {
    try {
      blobs.deleteAll(prefix);
      tx.run(() -> cleanup.done(prefix));
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "could not delete the objects of a failed seal under " + prefix, e);
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
}
