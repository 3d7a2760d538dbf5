-- Sealpost schema v1: the whole product's tables, so later work adds columns rather than tables.
-- Portable SQL: the same file runs on H2 2.x and PostgreSQL 12+. Conventions:
--   ids are UUID strings (VARCHAR(36)); times are TIMESTAMP WITH TIME ZONE in UTC;
--   enums are VARCHAR names; binary values (wrapped keys, hashes) are base64url or hex text;
--   nothing here ever holds plaintext content, link secrets, codes or API keys in clear.

CREATE TABLE tenants (
    id                    VARCHAR(36)  NOT NULL PRIMARY KEY,
    name                  VARCHAR(100) NOT NULL,
    display_name          VARCHAR(200) NOT NULL,
    -- comma-separated VerificationMethod names; NONE only when an ADMIN allows it
    verification_methods  VARCHAR(200) NOT NULL,
    default_expiry        VARCHAR(40)  NOT NULL,   -- ISO-8601 duration
    max_expiry            VARCHAR(40)  NOT NULL,
    custody_enabled       BOOLEAN      NOT NULL,
    bootstrap             BOOLEAN      NOT NULL,
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_tenants_name UNIQUE (name)
);

CREATE TABLE partners (
    id            VARCHAR(36)   NOT NULL PRIMARY KEY,
    tenant_id     VARCHAR(36)   NOT NULL REFERENCES tenants (id),
    name          VARCHAR(200)  NOT NULL,
    jwks          VARCHAR(65536),          -- public keys given inline
    jwks_uri      VARCHAR(2048),           -- or fetched (https only)
    jwks_fetched_at TIMESTAMP WITH TIME ZONE,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    disabled_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT uq_partners_name UNIQUE (tenant_id, name)
);

CREATE TABLE api_keys (
    id                    VARCHAR(36)  NOT NULL PRIMARY KEY,
    key_hash              VARCHAR(64)  NOT NULL,   -- hex SHA-256 of the key: the key itself is never stored
    role                  VARCHAR(20)  NOT NULL,   -- ADMIN, SENDER, AUDITOR, PARTNER
    tenant_id             VARCHAR(36)  NOT NULL REFERENCES tenants (id),
    partner_id            VARCHAR(36)  REFERENCES partners (id),
    name                  VARCHAR(200) NOT NULL,
    bootstrap             BOOLEAN      NOT NULL,
    rate_limit_per_minute INTEGER,
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by            VARCHAR(36),
    revoked_at            TIMESTAMP WITH TIME ZONE,
    CONSTRAINT uq_api_keys_hash UNIQUE (key_hash)
);
CREATE INDEX ix_api_keys_tenant ON api_keys (tenant_id);

-- Tenant ES256 signing keys. kid = <tenantId>.<version>. local keys: the private JWK wrapped by the
-- keyring's master key; aws-kms: key_ref names the KMS key and wrapped_private is null.
CREATE TABLE signing_keys (
    kid               VARCHAR(80)  NOT NULL PRIMARY KEY,
    tenant_id         VARCHAR(36)  NOT NULL REFERENCES tenants (id),
    version           INTEGER      NOT NULL,
    public_jwk        VARCHAR(4000) NOT NULL,
    wrapped_private   VARCHAR(4000),
    key_ref           VARCHAR(2048),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    retired_at        TIMESTAMP WITH TIME ZONE,
    CONSTRAINT uq_signing_keys_version UNIQUE (tenant_id, version)
);

CREATE TABLE envelopes (
    id                 VARCHAR(36)  NOT NULL PRIMARY KEY,
    tenant_id          VARCHAR(36)  NOT NULL REFERENCES tenants (id),
    created_by         VARCHAR(36),              -- api_keys.id
    status             VARCHAR(20)  NOT NULL,    -- ACTIVE, REVOKED, EXPIRED
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at         TIMESTAMP WITH TIME ZONE,
    revoked_at         TIMESTAMP WITH TIME ZONE,
    expired_at         TIMESTAMP WITH TIME ZONE,
    shredded_at        TIMESTAMP WITH TIME ZONE,
    max_opens          INTEGER,
    notify             BOOLEAN      NOT NULL,
    signing_kid        VARCHAR(80),
    manifest_blob      VARCHAR(300),             -- BlobStore key of the General JSON JWE
    manifest_size      BIGINT,
    total_size         BIGINT,                   -- ciphertext bytes, manifest and attachments
    custody_key        VARCHAR(1000),            -- wrapped custody data key, null when off or shredded
    custody_kid        VARCHAR(80),
    version            BIGINT       NOT NULL
);
CREATE INDEX ix_envelopes_tenant_created ON envelopes (tenant_id, created_at, id);
CREATE INDEX ix_envelopes_expiry ON envelopes (status, expires_at);

CREATE TABLE recipients (
    id                  VARCHAR(36)  NOT NULL PRIMARY KEY,
    envelope_id         VARCHAR(36)  NOT NULL REFERENCES envelopes (id),
    tenant_id           VARCHAR(36)  NOT NULL REFERENCES tenants (id),
    position            INTEGER      NOT NULL,
    recipient_type      VARCHAR(20)  NOT NULL,   -- CONSUMER, PARTNER
    email               VARCHAR(320),
    locale              VARCHAR(35),
    partner_id          VARCHAR(36)  REFERENCES partners (id),
    kid                 VARCHAR(300),            -- the JWE recipient entry's kid
    verification_method VARCHAR(20),             -- EMAIL_OTP, SHARED_SECRET, NONE
    secret_hash         VARCHAR(300),            -- SHARED_SECRET: slow hash (e.g. PBKDF2) with its parameters
    secret_hint         VARCHAR(200),
    link_token_hash     VARCHAR(64),             -- hex SHA-256 of the link token
    server_share        VARCHAR(1000),           -- wrapped by the KeyService; null once shredded
    status              VARCHAR(20)  NOT NULL,   -- PENDING, NOTIFIED, OPENED, LOCKED, ...
    notified_at         TIMESTAMP WITH TIME ZONE,
    first_opened_at     TIMESTAMP WITH TIME ZONE,
    last_opened_at      TIMESTAMP WITH TIME ZONE,
    locked_at           TIMESTAMP WITH TIME ZONE,
    open_count          INTEGER      NOT NULL,
    failed_attempts     INTEGER      NOT NULL,
    otp_hash            VARCHAR(300),
    otp_expires_at      TIMESTAMP WITH TIME ZONE,
    otp_attempts        INTEGER      NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    version             BIGINT       NOT NULL,
    CONSTRAINT uq_recipients_position UNIQUE (envelope_id, position)
);
CREATE INDEX ix_recipients_envelope ON recipients (envelope_id);
CREATE INDEX ix_recipients_partner ON recipients (partner_id, created_at);

-- Attachment metadata only: names, media types and hashes live in the encrypted manifest.
CREATE TABLE attachments (
    id                 VARCHAR(36)  NOT NULL PRIMARY KEY,
    envelope_id        VARCHAR(36)  NOT NULL REFERENCES envelopes (id),
    tenant_id          VARCHAR(36)  NOT NULL REFERENCES tenants (id),
    position           INTEGER      NOT NULL,
    blob_key           VARCHAR(300) NOT NULL,
    ciphertext_size    BIGINT       NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    deleted_at         TIMESTAMP WITH TIME ZONE,
    CONSTRAINT uq_attachments_position UNIQUE (envelope_id, position)
);
CREATE INDEX ix_attachments_envelope ON attachments (envelope_id);

-- Idempotency-Key: scoped per API key. request_hash is the SHA-256 of the request body.
CREATE TABLE idempotency_keys (
    api_key_id         VARCHAR(36)  NOT NULL REFERENCES api_keys (id),
    idempotency_key    VARCHAR(255) NOT NULL,
    request_hash       VARCHAR(64)  NOT NULL,
    state              VARCHAR(20)  NOT NULL,   -- IN_PROGRESS, DONE
    response_status    INTEGER,
    response_body      VARCHAR(1048576),
    envelope_id        VARCHAR(36),
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at       TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_idempotency_keys PRIMARY KEY (api_key_id, idempotency_key)
);
CREATE INDEX ix_idempotency_created ON idempotency_keys (created_at);

-- Audit events, appended in the transaction of the change they record; hash-chained per tenant
-- (seq is the position in the tenant's chain; prev_hash/hash filled by the audit chain).
CREATE TABLE audit_events (
    id             BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    tenant_id      VARCHAR(36)  NOT NULL REFERENCES tenants (id),
    seq            BIGINT       NOT NULL,
    event_type     VARCHAR(40)  NOT NULL,
    occurred_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    actor          VARCHAR(120) NOT NULL,
    envelope_id    VARCHAR(36),
    recipient_id   VARCHAR(36),
    ip             VARCHAR(64),
    user_agent     VARCHAR(512),
    prev_hash      VARCHAR(64),
    hash           VARCHAR(64),
    CONSTRAINT uq_audit_events_seq UNIQUE (tenant_id, seq)
);
CREATE INDEX ix_audit_events_tenant_time ON audit_events (tenant_id, occurred_at);
CREATE INDEX ix_audit_events_envelope ON audit_events (envelope_id);

-- One row per tenant: the head of its audit chain. Appenders lock it (SELECT ... FOR UPDATE) so
-- seq and prev_hash stay exact across server instances.
CREATE TABLE audit_heads (
    tenant_id      VARCHAR(36)  NOT NULL PRIMARY KEY REFERENCES tenants (id),
    seq            BIGINT       NOT NULL,
    hash           VARCHAR(64)
);

-- Signed checkpoints of a tenant's chain head.
CREATE TABLE audit_checkpoints (
    id             VARCHAR(36)  NOT NULL PRIMARY KEY,
    tenant_id      VARCHAR(36)  NOT NULL REFERENCES tenants (id),
    seq            BIGINT       NOT NULL,
    head_hash      VARCHAR(64)  NOT NULL,
    jws            VARCHAR(8000) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_audit_checkpoints_tenant ON audit_checkpoints (tenant_id, seq);

-- Transactional outbox for notifications: written with the envelope, sent after commit, retried.
CREATE TABLE outbox (
    id               VARCHAR(36)  NOT NULL PRIMARY KEY,
    tenant_id        VARCHAR(36)  NOT NULL REFERENCES tenants (id),
    envelope_id      VARCHAR(36)  REFERENCES envelopes (id),
    recipient_id     VARCHAR(36)  REFERENCES recipients (id),
    kind             VARCHAR(40)  NOT NULL,   -- NOTIFICATION, OTP, ...
    payload          VARCHAR(65536),
    status           VARCHAR(20)  NOT NULL,   -- PENDING, SENT, FAILED
    attempts         INTEGER      NOT NULL,
    next_attempt_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_error       VARCHAR(1000),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at          TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ix_outbox_due ON outbox (status, next_attempt_at);
