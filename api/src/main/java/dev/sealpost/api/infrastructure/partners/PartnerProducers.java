package dev.sealpost.api.infrastructure.partners;

import dev.sealpost.api.domain.PartnerJwksFetcher;
import dev.sealpost.api.domain.PartnerKeyCheck;
import dev.sealpost.api.infrastructure.config.PartnersConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Partner keys: the JWKS fetcher ({@code sealpost.partners.*}) and the key check. */
@ApplicationScoped
public class PartnerProducers {
  @Produces
  @ApplicationScoped
  PartnerJwksFetcher jwksFetcher(PartnersConfig config) {
    return new HttpPartnerJwksFetcher(
        config.jwksTimeout(), config.jwksMaxBytes(), config.allowLoopbackJwksUri());
  }

  @Produces
  @ApplicationScoped
  PartnerKeyCheck keyCheck() {
    return new NimbusPartnerKeyCheck();
  }
}
