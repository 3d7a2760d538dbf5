-- Partner lifecycle (issue 13): when a partner's keys were last replaced (PATCH /v1/partners/{id});
-- disabled_at (DELETE) exists since V1. GET /v1/partners pages one tenant's partners by
-- (created_at, id).
ALTER TABLE partners ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX ix_partners_tenant_created ON partners (tenant_id, created_at, id);
