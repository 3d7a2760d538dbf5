package dev.sealpost.api.domain;

import java.util.Optional;

/**
 * The outcome of rotating a tenant's signing key: the kid now signing ({@code <tenantId>.<n>}) and
 * the one it replaced (empty if the tenant had none). Both stay in the public JWKS.
 */
public record RotatedSigningKey(Optional<String> previousKid, String kid) {}
