package dev.sealpost.api.domain;

import java.util.Objects;

/**
 * A partner's checked public key set. {@code json} is the JWKS of the keys that passed the checks
 * (public parts only); {@code currentKeyJson} is the one public JWK new envelopes are sealed to
 * (the first usable key in document order) and {@code currentKid} its {@code kid}.
 */
public record PartnerJwks(String json, String currentKid, String currentKeyJson) {
  public PartnerJwks {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(currentKid, "currentKid");
    Objects.requireNonNull(currentKeyJson, "currentKeyJson");
  }
}
