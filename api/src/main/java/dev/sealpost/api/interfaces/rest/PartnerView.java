package dev.sealpost.api.interfaces.rest;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.sealpost.api.domain.Partner;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A partner as {@code GET /v1/partners[/{id}]} show it: its keys only as ids and RFC 7638
 * thumbprints (the first listed is the one new envelopes are sealed to), never key material.
 */
@JsonbNillable
@JsonbPropertyOrder({
  "id",
  "name",
  "status",
  "jwksUri",
  "keys",
  "jwksFetchedAt",
  "createdAt",
  "updatedAt",
  "disabledAt"
})
public record PartnerView(
    String id,
    String name,
    String status,
    String jwksUri,
    List<KeyView> keys,
    String jwksFetchedAt,
    String createdAt,
    String updatedAt,
    String disabledAt) {

  /** One public key of the partner: {@code kid}, key type, use and SHA-256 JWK thumbprint. */
  @JsonbNillable
  @JsonbPropertyOrder({"kid", "kty", "use", "thumbprint"})
  public record KeyView(String kid, String kty, String use, String thumbprint) {}

  /** A page of partners. */
  @JsonbNillable
  public record Page(List<PartnerView> items, String nextCursor) {}

  static PartnerView of(Partner p) {
    return new PartnerView(
        p.id().value(),
        p.name(),
        p.disabled() ? "disabled" : "active",
        p.jwksUri().orElse(null),
        p.jwks().map(PartnerView::keys).orElse(List.of()),
        p.jwksFetchedAt().map(Instant::toString).orElse(null),
        p.createdAt().toString(),
        p.updatedAt().map(Instant::toString).orElse(null),
        p.disabledAt().map(Instant::toString).orElse(null));
  }

  private static List<KeyView> keys(String jwks) {
    List<KeyView> out = new ArrayList<>();
    try {
      for (JWK k : JWKSet.parse(jwks).getKeys()) {
        JWK pub = k.toPublicJWK();
        out.add(
            new KeyView(
                pub.getKeyID(),
                pub.getKeyType().getValue(),
                pub.getKeyUse() == null ? null : pub.getKeyUse().identifier(),
                pub.computeThumbprint().toString()));
      }
    } catch (ParseException | JOSEException e) {
      // The stored set passed the key checks when it was stored; show nothing rather than fail.
      return List.of();
    }
    return out;
  }
}
