-- Consumer flow (issue 4): code-request rate limit per recipient (held in the database, so it holds
-- across server instances) and the short-lived access tokens answered by verify.

-- Code requests in the current window: at most a few per window, counted atomically by one guarded UPDATE.
ALTER TABLE recipients ADD COLUMN otp_requests INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE recipients ADD COLUMN otp_window_start TIMESTAMP WITH TIME ZONE;

-- Access tokens after a successful verify: only the SHA-256 of the token (256 random bits) is stored,
-- bound to one envelope and recipient, valid until expires_at.
CREATE TABLE open_sessions (
    token_hash     VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant_id      VARCHAR(36)  NOT NULL REFERENCES tenants (id),
    envelope_id    VARCHAR(36)  NOT NULL REFERENCES envelopes (id),
    recipient_id   VARCHAR(36)  NOT NULL REFERENCES recipients (id),
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_open_sessions_expires ON open_sessions (expires_at);
