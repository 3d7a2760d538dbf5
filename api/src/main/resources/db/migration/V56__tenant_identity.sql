-- Tenant identity (issue 13). Display names are unique by confusable skeleton: the column holds
-- the SHA-256 of the name's TR39 skeleton (DisplayNameSkeleton). Rows from before stay NULL until
-- the server fills them in at start (NULLs never clash); a name that clashes with an earlier
-- tenant's stays NULL and is logged, so an old duplicate never stops the start.
ALTER TABLE tenants ADD COLUMN display_name_skeleton VARCHAR(64);
CREATE UNIQUE INDEX uq_tenants_display_name_skeleton ON tenants (display_name_skeleton);

-- An audit event may say what it changed (TENANT_UPDATED: "custody: on"); part of the hash
-- when present, so events without it hash as before.
ALTER TABLE audit_events ADD COLUMN detail VARCHAR(500);
