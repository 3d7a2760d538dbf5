-- API key lifecycle (issue 13): an optional expiry set at creation, when a key was last used
-- (written at most about once a minute per key, never on every request), and who revoked it
-- (revoked_at already exists; revoked_by is an audit actor such as api-key:<id> or system).
ALTER TABLE api_keys ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE api_keys ADD COLUMN last_used_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE api_keys ADD COLUMN revoked_by VARCHAR(120);
-- GET /v1/api-keys pages one tenant's keys by (created_at, id).
CREATE INDEX ix_api_keys_tenant_created ON api_keys (tenant_id, created_at, id);
