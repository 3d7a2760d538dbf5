package dev.sealpost.client;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.client.auth.DecryptionKeyProvider;
import dev.sealpost.envelope.EnvelopeOpener;
import dev.sealpost.envelope.OpenedEnvelope;
import dev.sealpost.envelope.OpenedReply;
import dev.sealpost.envelope.RecipientKey;
import dev.sealpost.envelope.ReplyOpener;
import dev.sealpost.envelope.ReplyReceipt;
import dev.sealpost.envelope.TrustedKeys;
import dev.sealpost.exception.ClientException;
import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.NoMatchingRecipientException;
import dev.sealpost.exception.UntrustedSignerException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The Sealpost client: a partner's inbox and end-to-end decryption, a sender's send, status, revoke
 * and secure replies ({@link #replies(String)}, {@link #openReply(ReplyInfo)}, decrypted with the
 * tenant's private reply key), and an admin's list and revocation of API keys. Thread-safe; create
 * one per endpoint and API key, share it, and close it at the end.
 *
 * <p>Opening is end to end: the server hands over only the partner's own JWE entry and the
 * attachment ciphertexts; this client decrypts them with the partner's private key and verifies the
 * manifest's signature against the server's published tenant keys ({@code /.well-known/jwks.json},
 * the default) or keys pinned with {@link Builder#trust(TrustedKeys)}. Either way the signing key
 * must belong to the tenant the manifest names.
 *
 * <pre>{@code
 * try (EnvelopeClient client = EnvelopeClient.builder()
 *         .endpoint(URI.create("https://sealpost.example.com"))
 *         .apiKey(System.getenv("SEALPOST_API_KEY"))
 *         .decryptionKeys(DecryptionKeyProvider.fromFiles(Path.of("partner.jwk")))
 *         .build()) {
 *   for (InboxItem item : client.inbox()) {
 *     ReceivedEnvelope env = client.open(item.envelopeId());
 *     for (AttachmentDescriptor a : env.attachments()) {
 *       env.saveAttachment(a.id(), Path.of("in", a.id()));
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>Errors are unchecked: {@link dev.sealpost.exception.ServiceException} (the server refused:
 * status, problem type, request id), {@link ClientException} (could not reach the server or read
 * its answer), {@link dev.sealpost.exception.IntegrityException} (tampered or truncated data),
 * {@link UntrustedSignerException}, {@link NoMatchingRecipientException} (no key for the entry).
 * Calls that are safe to repeat are retried on 429 and 503 (honouring {@code Retry-After} up to
 * {@link Builder#maxRetryAfter(Duration)}) with exponential backoff and jitter; sends carry an
 * {@code Idempotency-Key}, so they are retried too.
 */
public final class EnvelopeClient implements AutoCloseable {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  /** Small attachments held in memory up to this total travel in a JSON body. */
  static final long JSON_ATTACHMENT_LIMIT = 1 << 20;

  /** A reply manifest document is at most 1 MiB (docs/FORMAT.md section 12). */
  static final int MAX_REPLY_MANIFEST_BYTES = 1 << 20;

  private final HttpTransport http;
  private final DecryptionKeyProvider keys;
  private final TrustedKeys pinned;
  private final Duration jwksTtl;
  private final Object jwksLock = new Object();
  private volatile CachedTrust serverTrust;

  private EnvelopeClient(Builder b) {
    this.http =
        new HttpTransport(
            b.endpoint,
            b.apiKey,
            b.connectTimeout,
            b.requestTimeout,
            b.maxRetries,
            b.retryBaseDelay,
            b.maxRetryAfter,
            b.userAgent);
    this.keys = b.decryptionKeys;
    this.pinned = b.trust;
    this.jwksTtl = b.jwksCacheTtl;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The envelopes addressed to this partner, newest first. Pages are fetched as the iteration
   * reaches them; each call to {@code iterator()} starts again from the newest.
   */
  public Iterable<InboxItem> inbox() {
    return () -> new InboxIterator();
  }

  /** {@link #inbox()} as a sequential, lazily paging stream. */
  public Stream<InboxItem> inboxStream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(
            new InboxIterator(), Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  /**
   * Fetches, decrypts and verifies an envelope addressed to this partner. Attachments download when
   * read from the answer.
   *
   * @throws dev.sealpost.exception.ServiceException 404 when not addressed to this partner, 410
   *     when revoked or expired
   * @throws NoMatchingRecipientException when the provider has no key for the envelope's kid
   * @throws UntrustedSignerException when the signer is not a trusted key of the manifest's tenant
   * @throws dev.sealpost.exception.IntegrityException when anything was changed
   */
  public ReceivedEnvelope open(String envelopeId) {
    String id = checkId("envelopeId", envelopeId);
    if (keys == null) {
      throw new IllegalStateException("open needs decryptionKeys(...) on the builder");
    }
    String jwe = http.text(get("v1/inbox/" + id + "/manifest", "application/jose+json"), true);
    String kid = recipientKid(jwe);
    JWK key =
        keys.privateKey(kid)
            .orElseThrow(
                () ->
                    new NoMatchingRecipientException(
                        "no decryption key with kid " + kid + " (the envelope is sealed to it)"));
    RecipientKey recipientKey = RecipientKey.privateJwk(key);
    OpenedEnvelope opened;
    try {
      opened = opener(false).open(jwe, recipientKey, id);
    } catch (UntrustedSignerException e) {
      if (pinned != null) {
        throw e;
      }
      // The tenant may have rotated its signing key since the JWKS was cached.
      opened = opener(true).open(jwe, recipientKey, id);
    }
    return new ReceivedEnvelope(opened, attachmentId -> download(id, attachmentId));
  }

  /** Seals and sends an envelope through the server (SENDER key). */
  public SendResult send(SendRequest request) {
    Objects.requireNonNull(request, "request");
    long inMemory = 0;
    boolean files = false;
    for (SendRequest.Attachment a : request.attachments()) {
      if (a.file() != null) {
        files = true;
      } else {
        inMemory += a.size();
      }
    }
    HttpRequest.Builder post = HttpRequest.newBuilder(http.resolve("v1/envelopes"));
    post.header("Accept", "application/json").header("Idempotency-Key", request.idempotencyKey());
    Map<String, Object> envelope = request.envelopeJson();
    if (!files && inMemory <= JSON_ATTACHMENT_LIMIT) {
      List<Object> atts = new ArrayList<>();
      for (SendRequest.Attachment a : request.attachments()) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("name", a.name());
        j.put("contentType", a.mediaType());
        j.put("data", Base64.getEncoder().encodeToString(a.data()));
        atts.add(j);
      }
      if (!atts.isEmpty()) {
        envelope.put("attachments", atts);
      }
      post.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSONObjectUtils.toJSONString(envelope)));
    } else {
      MultipartBody body =
          new MultipartBody(request.progress())
              .json("envelope", JSONObjectUtils.toJSONString(envelope));
      for (SendRequest.Attachment a : request.attachments()) {
        body.file(a);
      }
      body.end();
      post.header("Content-Type", body.contentType()).POST(body.publisher());
    }
    Map<String, Object> answer = http.json(post, true);
    List<SendResult.Recipient> recipients = new ArrayList<>();
    for (Map<String, Object> r : objects(answer.get("recipients"))) {
      recipients.add(
          new SendResult.Recipient(
              str(r, "id"), str(r, "type"), str(r, "email"), str(r, "partnerId"), str(r, "link")));
    }
    return new SendResult(str(answer, "id"), recipients);
  }

  /** The status of an envelope this tenant sent (SENDER key). */
  public EnvelopeStatus status(String envelopeId) {
    String id = checkId("envelopeId", envelopeId);
    return status(http.json(get("v1/envelopes/" + id, "application/json"), true));
  }

  /**
   * The tenant's envelopes (SENDER key), newest first: state and times only. Pages are fetched as
   * the iteration reaches them; each call to {@code iterator()} starts again from the newest.
   */
  public Iterable<EnvelopeSummary> envelopes() {
    return () -> new PageIterator<>("v1/envelopes?limit=100", EnvelopeClient::summary);
  }

  /**
   * Revokes an envelope and crypto-shreds its keys (SENDER key); answers the new status ({@code
   * revoked}). Revoking a revoked envelope answers the same state again.
   *
   * @throws dev.sealpost.exception.ServiceException 404 for an unknown envelope or another tenant's
   */
  public EnvelopeStatus revoke(String envelopeId) {
    String id = checkId("envelopeId", envelopeId);
    HttpRequest.Builder delete =
        HttpRequest.newBuilder(http.resolve("v1/envelopes/" + id))
            .header("Accept", "application/json")
            .DELETE();
    return status(http.json(delete, true));
  }

  /**
   * A new link for a consumer recipient (the SENDER key that sealed the envelope, or an ADMIN key):
   * the old link dies at once. With {@code notify} the server mails the new link and this answers
   * empty; without, it answers the link (shown once: it holds the link secret, hand it to the
   * recipient only). Lifting a lock (too many wrong answers) needs an ADMIN key; each recipient
   * gets at most the server's {@code sealpost.open.max-reissues} (default 3). Audited as {@code
   * LINK_REISSUED}. Never retried: a lost answer would otherwise spend a second reissue.
   *
   * @throws dev.sealpost.exception.ServiceException 403 ({@code .../forbidden}) for another key,
   *     403 ({@code .../lock-needs-admin}) for a SENDER on a locked recipient, 409 ({@code
   *     .../reissue-limit}) when the recipient's reissues are used up, 409 ({@code .../conflict})
   *     when the envelope is no longer active or was sealed without custody
   */
  public Optional<String> reissue(String envelopeId, String recipientId, boolean notify) {
    String eid = checkId("envelopeId", envelopeId);
    String rid = checkId("recipientId", recipientId);
    HttpRequest.Builder post =
        HttpRequest.newBuilder(
                http.resolve("v1/envelopes/" + eid + "/recipients/" + rid + "/reissue"))
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"notify\":" + notify + "}"));
    return Optional.ofNullable(str(http.json(post, false), "link"));
  }

  /**
   * An envelope's audit evidence bundle (AUDITOR key), as the server's JSON text: every audit event
   * naming the envelope, the hash paths to signed checkpoints, the checkpoints and the tenant's
   * public JWKS (docs/AUDIT.md "Evidence bundle"). The request is itself recorded (AUDIT_EXPORTED
   * naming the envelope), so it is never retried. Check it offline with {@link
   * dev.sealpost.audit.AuditEvidence#verify}:
   *
   * <pre>{@code
   * String bundle = client.auditEvidence(envelopeId);
   * AuditEvidenceVerification v = AuditEvidence.verify(bundle, TrustedKeys.fromJwksJson(jwks));
   * }</pre>
   *
   * @throws dev.sealpost.exception.ServiceException 403 for a key without the AUDITOR role, 404 for
   *     an unknown envelope or another tenant's
   */
  public String auditEvidence(String envelopeId) {
    String id = checkId("envelopeId", envelopeId);
    return http.text(get("v1/audit/evidence/" + id, "application/json"), false);
  }

  /**
   * The secure replies to one of the tenant's envelopes (a SENDER or ADMIN key, as for {@link
   * #status(String)}), oldest first: ids, times, sizes and the server's receipts, nothing readable.
   *
   * @throws dev.sealpost.exception.ServiceException 404 for an unknown envelope or another tenant's
   */
  public List<ReplyInfo> replies(String envelopeId) {
    String id = checkId("envelopeId", envelopeId);
    Map<String, Object> json =
        http.json(get("v1/envelopes/" + id + "/replies", "application/json"), true);
    List<ReplyInfo> out = new ArrayList<>();
    for (Map<String, Object> r : objects(json.get("replies"))) {
      List<InboxItem.Attachment> atts = new ArrayList<>();
      for (Map<String, Object> a : objects(r.get("attachments"))) {
        Object size = a.get("size");
        atts.add(
            new InboxItem.Attachment(
                str(a, "id"), size instanceof Number ? ((Number) size).longValue() : -1));
      }
      String replyId = str(r, "replyId");
      if (replyId == null) {
        throw new ClientException("the server listed a reply without replyId");
      }
      Object manifestSize = r.get("manifestSize");
      out.add(
          new ReplyInfo(
              envelopeId,
              replyId,
              str(r, "recipientId"),
              instant(str(r, "received")),
              manifestSize instanceof Number ? ((Number) manifestSize).longValue() : -1,
              atts,
              str(r, "receipt")));
    }
    return out;
  }

  /**
   * Fetches one reply (see {@link #openReply(ReplyInfo)}), looked up in {@link #replies(String)}.
   *
   * @throws dev.sealpost.exception.ServiceException 404 when the envelope has no such reply
   */
  public ReceivedReply openReply(String envelopeId, String replyId) {
    checkId("replyId", replyId);
    for (ReplyInfo r : replies(envelopeId)) {
      if (r.replyId().equals(replyId)) {
        return openReply(r);
      }
    }
    throw new dev.sealpost.exception.ServiceException(
        404,
        "https://sealpost.dev/problems/not-found",
        "envelope " + envelopeId + " has no reply " + replyId,
        null,
        null);
  }

  /**
   * Fetches a reply's manifest and checks it in the order of docs/FORMAT.md section 12.6: the
   * receipt verifies under a trusted key of the tenant it names (the server's JWKS, or keys pinned
   * with {@link Builder#trust(TrustedKeys)}) and names this envelope and reply; the manifest bytes
   * have the receipt's SHA-256 and size; the reply JWE decrypts with the tenant's private reply key
   * from {@link Builder#decryptionKeys(DecryptionKeyProvider)} and agrees with the receipt.
   * Attachments download when read from the answer, checked against the receipt and the manifest.
   * Fetching the manifest is audited by the server ({@code REPLY_FETCHED}).
   *
   * @throws NoMatchingRecipientException when the provider has no key for any entry of the reply
   * @throws UntrustedSignerException when the receipt's signer is not a trusted key of the tenant
   * @throws dev.sealpost.exception.IntegrityException when anything was changed
   */
  public ReceivedReply openReply(ReplyInfo reply) {
    Objects.requireNonNull(reply, "reply");
    String eid = checkId("envelopeId", reply.envelopeId());
    String rid = checkId("replyId", reply.replyId());
    if (keys == null) {
      throw new IllegalStateException("openReply needs decryptionKeys(...) on the builder");
    }
    if (reply.receipt() == null) {
      throw new MalformedEnvelopeException("the server listed reply " + rid + " without receipt");
    }
    String base = "v1/envelopes/" + eid + "/replies/" + rid;
    byte[] manifest;
    try (InputStream in =
        http.send(get(base + "/manifest", "application/jose+json"), true, true).body) {
      manifest = in.readNBytes(MAX_REPLY_MANIFEST_BYTES + 1);
    } catch (java.io.IOException e) {
      throw new ClientException("reading the reply manifest failed", e);
    }
    if (manifest.length > MAX_REPLY_MANIFEST_BYTES) {
      throw new MalformedEnvelopeException("the reply manifest is larger than 1 MiB");
    }
    OpenedReply opened;
    try {
      opened = openReply(reply, manifest, false);
    } catch (UntrustedSignerException e) {
      if (pinned != null) {
        throw e;
      }
      // The tenant may have rotated its signing key since the JWKS was cached.
      opened = openReply(reply, manifest, true);
    }
    return new ReceivedReply(
        opened,
        attachmentId ->
            http.send(
                    get(
                        base + "/attachments/" + checkId("attachmentId", attachmentId),
                        "application/octet-stream"),
                    true,
                    true)
                .body);
  }

  private OpenedReply openReply(ReplyInfo reply, byte[] manifest, boolean refresh) {
    TrustedKeys trusted = pinned != null ? pinned : serverKeys(refresh);
    ReplyOpener opener =
        ReplyOpener.builder().trust(trusted).requireSignerOfReceiptTenant().build();
    // Step 1 comes first: the receipt is checked before anything in the manifest is looked at,
    // even which of the tenant's reply keys it is sealed to.
    ReplyReceipt receipt = ReplyReceipt.verify(reply.receipt(), trusted);
    receipt.checkFor(reply.envelopeId(), reply.replyId());
    receipt.checkManifest(manifest);
    RecipientKey key = RecipientKey.privateJwk(replyKey(manifest));
    return opener.open(reply.receipt(), manifest, key, reply.envelopeId(), reply.replyId());
  }

  /** The provider's key for the first entry of the reply JWE it holds a key for. */
  private JWK replyKey(byte[] manifest) {
    List<String> kids = new ArrayList<>();
    try {
      Map<String, Object> json =
          JSONObjectUtils.parse(new String(manifest, StandardCharsets.UTF_8));
      List<Map<String, Object>> entries = objects(json.get("recipients"));
      if (entries.isEmpty()) {
        entries = List.of(json);
      }
      for (Map<String, Object> e : entries) {
        Object header = e.get("header");
        if (header instanceof Map && ((Map<?, ?>) header).get("kid") instanceof String) {
          kids.add((String) ((Map<?, ?>) header).get("kid"));
        }
      }
    } catch (ParseException e) {
      throw new MalformedEnvelopeException("the reply manifest is not JSON");
    }
    for (String kid : kids) {
      Optional<JWK> key = keys.privateKey(kid);
      if (key.isPresent()) {
        return key.get();
      }
    }
    throw new NoMatchingRecipientException(
        "no decryption key for the reply's entries "
            + kids
            + " (is --key the tenant's reply key?)");
  }

  /**
   * The API keys of the caller's tenant (ADMIN key), revoked and expired ones too, oldest first;
   * never a secret. Pages are fetched as the iteration reaches them.
   */
  public Iterable<ApiKeyInfo> apiKeys() {
    return () -> new PageIterator<>("v1/api-keys?limit=100", EnvelopeClient::apiKey);
  }

  /**
   * Revokes one of the tenant's API keys (ADMIN key): it answers 401 from then on, on every server
   * instance. Revoking a revoked key succeeds again and changes nothing.
   *
   * @throws dev.sealpost.exception.ServiceException 404 for an unknown key or another tenant's, 409
   *     ({@code .../last-admin-key}) for the tenant's last live ADMIN key: create the new one first
   */
  public void revokeApiKey(String apiKeyId) {
    String id = checkId("apiKeyId", apiKeyId);
    HttpRequest.Builder delete =
        HttpRequest.newBuilder(http.resolve("v1/api-keys/" + id))
            .header("Accept", "application/json")
            .DELETE();
    try (InputStream ignored = http.send(delete, true, true).body) {
      // 204: nothing to read
    } catch (java.io.IOException e) {
      // the answer had no body to close
    }
  }

  private static ApiKeyInfo apiKey(Map<String, Object> k) {
    return new ApiKeyInfo(
        str(k, "id"),
        str(k, "name"),
        str(k, "role"),
        str(k, "partnerId"),
        Boolean.TRUE.equals(k.get("bootstrap")),
        instant(str(k, "createdAt")),
        instant(str(k, "lastUsedAt")),
        instant(str(k, "expiresAt")),
        instant(str(k, "revokedAt")));
  }

  /** Pages through a {@code {"items","nextCursor"}} list as the caller iterates. */
  private final class PageIterator<T> implements Iterator<T> {
    private final String path;
    private final java.util.function.Function<Map<String, Object>, T> item;
    private List<T> page = List.of();
    private int index;
    private String cursor;
    private boolean last;

    PageIterator(String path, java.util.function.Function<Map<String, Object>, T> item) {
      this.path = path;
      this.item = item;
    }

    @Override
    public boolean hasNext() {
      while (index >= page.size()) {
        if (last) {
          return false;
        }
        String p =
            cursor == null
                ? path
                : path + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
        Map<String, Object> json = http.json(get(p, "application/json"), true);
        List<T> items = new ArrayList<>();
        for (Map<String, Object> i : objects(json.get("items"))) {
          items.add(item.apply(i));
        }
        page = items;
        index = 0;
        cursor = str(json, "nextCursor");
        last = cursor == null;
      }
      return true;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return page.get(index++);
    }
  }

  /** Releases the client's threads; later calls throw {@link IllegalStateException}. */
  @Override
  public void close() {
    http.close();
  }

  private static EnvelopeStatus status(Map<String, Object> json) {
    return new EnvelopeStatus(
        str(json, "id"),
        str(json, "status"),
        instant(str(json, "createdAt")),
        instant(str(json, "expiresAt")),
        instant(str(json, "revokedAt")),
        objects(json.get("recipients")));
  }

  private static EnvelopeSummary summary(Map<String, Object> e) {
    Object maxOpens = e.get("maxOpens");
    Object size = e.get("size");
    return new EnvelopeSummary(
        str(e, "id"),
        str(e, "status"),
        instant(str(e, "createdAt")),
        instant(str(e, "expiresAt")),
        instant(str(e, "revokedAt")),
        maxOpens instanceof Number ? ((Number) maxOpens).intValue() : null,
        Boolean.TRUE.equals(e.get("notify")),
        size instanceof Number ? ((Number) size).longValue() : null);
  }

  private InputStream download(String envelopeId, String attachmentId) {
    String aid = checkId("attachmentId", attachmentId);
    return http.send(
            get("v1/inbox/" + envelopeId + "/attachments/" + aid, "application/octet-stream"),
            true,
            true)
        .body;
  }

  private HttpRequest.Builder get(String path, String accept) {
    return HttpRequest.newBuilder(http.resolve(path)).header("Accept", accept).GET();
  }

  private EnvelopeOpener opener(boolean refresh) {
    TrustedKeys trusted = pinned != null ? pinned : serverKeys(refresh);
    return EnvelopeOpener.builder().trust(trusted).requireSignerOfManifestTenant().build();
  }

  private static final class CachedTrust {
    final TrustedKeys keys;
    final Instant fetchedAt;

    CachedTrust(TrustedKeys keys, Instant fetchedAt) {
      this.keys = keys;
      this.fetchedAt = fetchedAt;
    }
  }

  private TrustedKeys serverKeys(boolean refresh) {
    synchronized (jwksLock) {
      CachedTrust c = serverTrust;
      Instant now = Instant.now();
      boolean stale = c == null || c.fetchedAt.plus(jwksTtl).isBefore(now);
      boolean mayRefresh = c == null || c.fetchedAt.plusSeconds(10).isBefore(now);
      if (stale || (refresh && mayRefresh)) {
        HttpRequest.Builder req =
            HttpRequest.newBuilder(http.resolve(".well-known/jwks.json"))
                .header("Accept", "application/jwk-set+json, application/json")
                .GET();
        HttpTransport.Answer a = http.send(req, true, false);
        String json;
        try (InputStream in = a.body) {
          json = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
          throw new ClientException("reading the server's JWKS failed", e);
        }
        try {
          c = new CachedTrust(TrustedKeys.fromJwksJson(json), now);
        } catch (RuntimeException e) {
          throw new ClientException("the server's /.well-known/jwks.json is not a JWK set", e);
        }
        serverTrust = c;
      }
      return c.keys;
    }
  }

  private static String recipientKid(String jwe) {
    try {
      Map<String, Object> json = JSONObjectUtils.parse(jwe);
      Object header = json.get("header");
      if (header instanceof Map) {
        Object kid = ((Map<?, ?>) header).get("kid");
        if (kid instanceof String) {
          return (String) kid;
        }
      }
    } catch (ParseException e) {
      throw new MalformedEnvelopeException("the served manifest is not JSON");
    }
    throw new MalformedEnvelopeException("the served manifest has no recipient kid");
  }

  private static String checkId(String what, String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(what + " must be an id such as a UUID");
    }
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  private static String str(Map<String, Object> json, String member) {
    Object v = json.get(member);
    return v instanceof String ? (String) v : null;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> objects(Object value) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (value instanceof List) {
      for (Object o : (List<Object>) value) {
        if (o instanceof Map) {
          out.add((Map<String, Object>) o);
        }
      }
    }
    return out;
  }

  /** Pages through GET /v1/inbox as the caller iterates. */
  private final class InboxIterator implements Iterator<InboxItem> {
    private List<InboxItem> page = List.of();
    private int index;
    private String cursor;
    private boolean last;

    @Override
    public boolean hasNext() {
      while (index >= page.size()) {
        if (last) {
          return false;
        }
        fetch();
      }
      return true;
    }

    @Override
    public InboxItem next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return page.get(index++);
    }

    private void fetch() {
      String path =
          "v1/inbox?limit=50"
              + (cursor == null
                  ? ""
                  : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      Map<String, Object> json = http.json(get(path, "application/json"), true);
      List<InboxItem> items = new ArrayList<>();
      for (Map<String, Object> i : objects(json.get("items"))) {
        List<InboxItem.Attachment> atts = new ArrayList<>();
        for (Map<String, Object> a : objects(i.get("attachments"))) {
          Object size = a.get("size");
          atts.add(
              new InboxItem.Attachment(
                  str(a, "id"), size instanceof Number ? ((Number) size).longValue() : -1));
        }
        items.add(
            new InboxItem(
                str(i, "envelopeId"),
                str(i, "kid"),
                instant(str(i, "createdAt")),
                instant(str(i, "expiresAt")),
                atts));
      }
      page = items;
      index = 0;
      cursor = str(json, "nextCursor");
      last = cursor == null;
    }
  }

  private static Instant instant(String s) {
    try {
      return s == null ? null : Instant.parse(s);
    } catch (RuntimeException e) {
      throw new ClientException("the server sent a time that does not parse");
    }
  }

  /**
   * Configures an {@link EnvelopeClient}. Required: {@link #endpoint(URI)} and {@link
   * #apiKey(String)}; {@link #decryptionKeys(DecryptionKeyProvider)} to open envelopes.
   */
  public static final class Builder {
    private URI endpoint;
    private String apiKey;
    private DecryptionKeyProvider decryptionKeys;
    private TrustedKeys trust;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private int maxRetries = 3;
    private Duration retryBaseDelay = Duration.ofMillis(200);
    private Duration maxRetryAfter = Duration.ofSeconds(30);
    private Duration jwksCacheTtl = Duration.ofMinutes(5);
    private String userAgent = "sealpost-java-sdk";
    private boolean allowPlainHttp;

    private Builder() {}

    /** The server, e.g. {@code https://sealpost.example.com} (http only for localhost). */
    public Builder endpoint(URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    /** The API key ({@code sp_...}): a PARTNER key to read the inbox, a SENDER key to send. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** The partner's private keys, looked up by the envelope entry's {@code kid}. */
    public Builder decryptionKeys(DecryptionKeyProvider decryptionKeys) {
      this.decryptionKeys = decryptionKeys;
      return this;
    }

    /**
     * Pins the trusted signing keys instead of fetching the server's {@code /.well-known/jwks.json}
     * (the default).
     */
    public Builder trust(TrustedKeys trustedSigningKeys) {
      this.trust = trustedSigningKeys;
      return this;
    }

    /** Time to establish a connection (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /** Time to the answer's headers (default 60 s); bodies then stream as long as they flow. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /** Retries after the first attempt for 429/503 and unreachable servers (default 3; 0 = off). */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /** The first backoff's upper bound (default 200 ms; doubles per retry, full jitter). */
    public Builder retryBaseDelay(Duration delay) {
      this.retryBaseDelay = delay;
      return this;
    }

    /** The longest {@code Retry-After} honoured (default 30 s); a longer one fails the call. */
    public Builder maxRetryAfter(Duration max) {
      this.maxRetryAfter = max;
      return this;
    }

    /** How long the server's JWKS is cached (default 5 min). */
    public Builder jwksCacheTtl(Duration ttl) {
      this.jwksCacheTtl = ttl;
      return this;
    }

    public Builder userAgent(String userAgent) {
      this.userAgent = userAgent;
      return this;
    }

    /** Allows a plain http endpoint that is not localhost (tests only: keys travel in clear). */
    public Builder allowPlainHttp(boolean allow) {
      this.allowPlainHttp = allow;
      return this;
    }

    /**
     * @throws IllegalStateException naming every missing or invalid setting
     */
    public EnvelopeClient build() {
      List<String> problems = new ArrayList<>();
      if (endpoint == null) {
        problems.add("endpoint is required");
      } else if (!endpoint.isAbsolute() || endpoint.getHost() == null) {
        problems.add("endpoint must be an absolute http(s) URI");
      } else if ("http".equalsIgnoreCase(endpoint.getScheme())) {
        if (!allowPlainHttp && !isLoopback(endpoint.getHost())) {
          problems.add("endpoint must use https (http only for localhost)");
        }
      } else if (!"https".equalsIgnoreCase(endpoint.getScheme())) {
        problems.add("endpoint must be an absolute http(s) URI");
      }
      if (apiKey == null || apiKey.isBlank()) {
        problems.add("apiKey is required");
      } else if (apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        problems.add("apiKey has characters an API key never has");
      }
      if (isNotPositive(connectTimeout)) {
        problems.add("connectTimeout must be positive");
      }
      if (isNotPositive(requestTimeout)) {
        problems.add("requestTimeout must be positive");
      }
      if (maxRetries < 0 || maxRetries > 10) {
        problems.add("maxRetries must be 0 to 10");
      }
      if (retryBaseDelay == null || retryBaseDelay.isNegative()) {
        problems.add("retryBaseDelay must not be negative");
      }
      if (maxRetryAfter == null || maxRetryAfter.isNegative()) {
        problems.add("maxRetryAfter must not be negative");
      }
      if (isNotPositive(jwksCacheTtl)) {
        problems.add("jwksCacheTtl must be positive");
      }
      if (!problems.isEmpty()) {
        throw new IllegalStateException("EnvelopeClient: " + String.join("; ", problems));
      }
      return new EnvelopeClient(this);
    }

    private static boolean isNotPositive(Duration d) {
      return d == null || d.isNegative() || d.isZero();
    }

    private static boolean isLoopback(String host) {
      return host.equals("localhost")
          || host.startsWith("127.")
          || host.equals("[::1]")
          || host.equals("::1");
    }
  }

  @Override
  public String toString() {
    return "EnvelopeClient[" + http.resolve("") + "]";
  }
}
