-- Secure replies (issue 17). A tenant's reply keys: its public JWKS (RSA-OAEP-256 or
-- ECDH-ES+A256KW, no private member ever stored), NULL when it has none; allow_replies is the
-- tenant setting allowReplies. An envelope's policy.allowReply is fixed when it is sealed.
ALTER TABLE tenants ADD COLUMN allow_replies BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE tenants ADD COLUMN reply_jwks VARCHAR(16000);
ALTER TABLE envelopes ADD COLUMN allow_reply BOOLEAN DEFAULT FALSE NOT NULL;

-- One reply of a consumer recipient: ciphertext only (the JWE manifest and the STREAM attachments
-- live in the blob store under <tenant>/replies/<envelope>/<reply>); the digests and sizes of what
-- was received, and the receipt the server signed over them. The count per recipient is checked
-- under the recipient's row lock in the transaction that inserts the row.
CREATE TABLE replies (
    id               VARCHAR(36)   NOT NULL PRIMARY KEY,
    tenant_id        VARCHAR(36)   NOT NULL REFERENCES tenants (id),
    envelope_id      VARCHAR(36)   NOT NULL REFERENCES envelopes (id),
    recipient_id     VARCHAR(36)   NOT NULL REFERENCES recipients (id),
    received_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    manifest_blob    VARCHAR(300)  NOT NULL,
    manifest_size    BIGINT        NOT NULL,
    manifest_sha256  VARCHAR(64)   NOT NULL,
    receipt          VARCHAR(16000) NOT NULL
);
CREATE INDEX replies_envelope ON replies (tenant_id, envelope_id, received_at);
CREATE INDEX replies_recipient ON replies (recipient_id);

CREATE TABLE reply_attachments (
    reply_id   VARCHAR(36)  NOT NULL REFERENCES replies (id),
    position   INTEGER      NOT NULL,
    id         VARCHAR(36)  NOT NULL,
    blob_key   VARCHAR(300) NOT NULL,
    size       BIGINT       NOT NULL,
    sha256     VARCHAR(64)  NOT NULL,
    PRIMARY KEY (reply_id, position)
);
