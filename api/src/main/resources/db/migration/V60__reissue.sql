-- Reissue (issue 12): how many new links a consumer recipient got, so the count is bounded by
-- sealpost.open.max-reissues across server instances (a guarded UPDATE under the row lock).
-- envelopes.created_by (V1) already names the API key that sealed the envelope.
ALTER TABLE recipients ADD COLUMN reissue_count INTEGER DEFAULT 0 NOT NULL;
