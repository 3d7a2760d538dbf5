-- Webhooks (issue 17). A tenant's endpoints: url (https; checked against private, loopback and
-- link-local addresses when registered and again at every delivery), the subscribed event types
-- (comma-separated, each wrapped in commas so a LIKE finds one: ',envelope.opened,'), and the
-- signing secret sealed by the SecretSealer (never the secret itself). After a rotation the
-- previous sealed secret signs too until previous_until.
CREATE TABLE webhooks (
    id                VARCHAR(36)   NOT NULL PRIMARY KEY,
    tenant_id         VARCHAR(36)   NOT NULL REFERENCES tenants (id),
    url               VARCHAR(2048) NOT NULL,
    events            VARCHAR(400)  NOT NULL,
    secret_sealed     VARCHAR(2000) NOT NULL,
    previous_sealed   VARCHAR(2000),
    previous_until    TIMESTAMP WITH TIME ZONE,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX webhooks_tenant ON webhooks (tenant_id, created_at);

-- The webhook outbox: one row per (webhook, event), written in the transaction that appends the
-- event's audit record. id is the Standard Webhooks message id (webhook-id), the same on every
-- attempt. payload holds ids, types and times only. Claims are leased (status SENDING,
-- next_attempt_at = lease end) like the mail outbox, so two instances never deliver a row at once.
CREATE TABLE webhook_deliveries (
    id               VARCHAR(40)  NOT NULL PRIMARY KEY,
    webhook_id       VARCHAR(36)  NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    tenant_id        VARCHAR(36)  NOT NULL,
    event_type       VARCHAR(40)  NOT NULL,
    payload          VARCHAR(2000) NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    attempts         INTEGER      DEFAULT 0 NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    next_attempt_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_attempt_at  TIMESTAMP WITH TIME ZONE,
    last_status      INTEGER,
    last_error       VARCHAR(200),
    delivered_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, created_at);
