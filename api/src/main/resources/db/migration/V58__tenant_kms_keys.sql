-- Per-tenant KMS signing keys (issue 13). key_scope says whose key key_ref names:
--   TENANT  a KMS key of this tenant alone (created on first use, aliased alias/sealpost/tenant/<id>)
--   SHARED  the legacy sealpost.kms.signing-key-id that signed for every tenant; such rows stay
--           published (old signatures keep verifying) but nothing signs with them any more
--   NULL    a local key (the private JWK is in wrapped_private)
ALTER TABLE signing_keys ADD COLUMN key_scope VARCHAR(10);
UPDATE signing_keys SET key_scope = 'SHARED' WHERE key_ref IS NOT NULL;
