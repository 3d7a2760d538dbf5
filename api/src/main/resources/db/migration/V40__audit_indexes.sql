-- Audit log (issue 6): the auditor's filters walk one tenant's events in seq order, and a tenant
-- has at most one checkpoint per position of its chain.
CREATE INDEX ix_audit_events_tenant_envelope ON audit_events (tenant_id, envelope_id, seq);
CREATE INDEX ix_audit_events_tenant_recipient ON audit_events (tenant_id, recipient_id, seq);
CREATE INDEX ix_audit_events_tenant_actor ON audit_events (tenant_id, actor, seq);
DROP INDEX ix_audit_checkpoints_tenant;
CREATE UNIQUE INDEX uq_audit_checkpoints_seq ON audit_checkpoints (tenant_id, seq);
