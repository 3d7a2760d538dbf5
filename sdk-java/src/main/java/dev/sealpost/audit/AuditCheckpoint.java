package dev.sealpost.audit;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.envelope.ManifestSigner;
import dev.sealpost.envelope.TrustedKeys;
import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.UntrustedSignerException;
import dev.sealpost.internal.Es256;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A signed statement "tenant T's audit chain had head hash H at position seq, at time t": a compact
 * JWS (ES256, {@code typ} {@value #JWS_TYPE}, the tenant's signing key, {@code kid} {@code
 * <tenantId>.<n>}) over {@code {"tenant","seq","head","time"}}.
 *
 * <pre>{@code
 * AuditCheckpoint cp = AuditCheckpoint.verify(jws, TrustedKeys.fromJwksJson(jwks), tenantId);
 * }</pre>
 */
public final class AuditCheckpoint {
  public static final String JWS_TYPE = "sealpost-audit-checkpoint+jws";
  private static final int MAX_JWS_CHARS = 4096;

  private final String tenant;
  private final long seq;
  private final String head;
  private final Instant time;
  private final String jws;

  private AuditCheckpoint(String tenant, long seq, String head, Instant time, String jws) {
    this.tenant = tenant;
    this.seq = seq;
    this.head = head;
    this.time = time;
    this.jws = jws;
  }

  /** Signs a checkpoint of {@code tenant}'s head with the tenant's key. */
  public static AuditCheckpoint sign(
      String tenant, long seq, String head, Instant time, ManifestSigner signer) {
    Objects.requireNonNull(tenant, "tenant");
    if (!AuditChain.isHash(head) || seq < 1) {
      throw new IllegalArgumentException("a checkpoint needs seq >= 1 and a SHA-256 hex head");
    }
    Instant t = time.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.ES256)
            .keyID(signer.keyId())
            .type(new JOSEObjectType(JWS_TYPE))
            .build();
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("tenant", tenant);
    payload.put("seq", seq);
    payload.put("head", head);
    payload.put("time", t.toString());
    String signingInput =
        header.toBase64URL()
            + "."
            + Base64URL.encode(
                JSONObjectUtils.toJSONString(payload).getBytes(StandardCharsets.UTF_8));
    byte[] signature = signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
    if (signature == null || signature.length != 64) {
      throw new IllegalStateException("the signer must return a 64-byte ES256 signature (R || S)");
    }
    return new AuditCheckpoint(
        tenant, seq, head, t, signingInput + "." + Base64URL.encode(signature));
  }

  /**
   * Checks the signature under a trusted key whose {@code kid} belongs to {@code expectedTenant}
   * ({@code <tenantId>.<n>}) and that the payload names that tenant.
   *
   * @throws MalformedEnvelopeException if it is not a checkpoint JWS
   * @throws UntrustedSignerException if the kid is not trusted or is another tenant's
   * @throws IntegrityException if the signature does not verify
   */
  public static AuditCheckpoint verify(String jws, TrustedKeys trusted, String expectedTenant) {
    if (jws == null || jws.length() > MAX_JWS_CHARS) {
      throw new MalformedEnvelopeException("not an audit checkpoint JWS");
    }
    String[] parts = jws.split("\\.", -1);
    if (parts.length != 3) {
      throw new MalformedEnvelopeException("not an audit checkpoint JWS");
    }
    JWSHeader header;
    Map<String, Object> payload;
    try {
      header = JWSHeader.parse(new Base64URL(parts[0]));
      payload =
          JSONObjectUtils.parse(
              new String(new Base64URL(parts[1]).decode(), StandardCharsets.UTF_8));
    } catch (ParseException | RuntimeException e) {
      throw new MalformedEnvelopeException("not an audit checkpoint JWS");
    }
    if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())
        || header.getType() == null
        || !JWS_TYPE.equals(header.getType().getType())
        || header.getCriticalParams() != null) {
      throw new MalformedEnvelopeException("not an ES256 audit checkpoint JWS");
    }
    String kid = header.getKeyID();
    if (kid == null || !kid.startsWith(expectedTenant + ".")) {
      throw new UntrustedSignerException(
          "the checkpoint is signed with kid " + kid + ", which is not tenant " + expectedTenant);
    }
    ECKey key =
        trusted
            .find(kid)
            .orElseThrow(
                () ->
                    new UntrustedSignerException(
                        "the checkpoint is signed with kid " + kid + ", which is not trusted"));
    if (!Es256.verifies(key, header, parts)) {
      throw new IntegrityException(
          "an audit checkpoint signature does not verify (kid " + kid + ")");
    }
    try {
      String tenant = (String) payload.get("tenant");
      long seq = ((Number) payload.get("seq")).longValue();
      String head = (String) payload.get("head");
      Instant time = Instant.parse((String) payload.get("time"));
      if (!expectedTenant.equals(tenant)) {
        throw new IntegrityException("a checkpoint names another tenant");
      }
      if (!AuditChain.isHash(head) || seq < 1) {
        throw new MalformedEnvelopeException("a checkpoint has a bad seq or head");
      }
      return new AuditCheckpoint(tenant, seq, head, time, jws);
    } catch (ClassCastException | NullPointerException | DateTimeParseException e) {
      throw new MalformedEnvelopeException(
          "a checkpoint payload is missing tenant, seq, head or time");
    }
  }

  /**
   * A stored checkpoint as it is, NOT verified: for listing. Verification needs {@link #verify}.
   */
  public static AuditCheckpoint unverified(
      String tenant, long seq, String head, Instant time, String jws) {
    return new AuditCheckpoint(tenant, seq, head, time, jws);
  }

  public String tenant() {
    return tenant;
  }

  public long seq() {
    return seq;
  }

  /** The chain's hash at {@link #seq()}. */
  public String head() {
    return head;
  }

  public Instant time() {
    return time;
  }

  /** The compact JWS. */
  public String jws() {
    return jws;
  }

  @Override
  public String toString() {
    return "AuditCheckpoint[" + tenant + " #" + seq + " " + head + "]";
  }
}
