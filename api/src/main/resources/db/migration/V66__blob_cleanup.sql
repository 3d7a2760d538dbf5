-- Objects that may have to be deleted (issue 14, faults). A seal records its envelope's object
-- prefix here BEFORE it writes any object, and removes the row in the very transaction that records
-- the envelope; revocation and expiry add the row in the shredding transaction and remove it once
-- the objects are deleted. The orphan sweep (sealpost.blobs.orphan-sweep-interval) claims rows past
-- due_at and deletes their objects: a crash between the object writes and the commit, or between
-- the commit and the deletion, leaves nothing behind for longer than sealpost.blobs.orphan-grace.
-- claimed_at: the sweep's claim; a seal whose row was claimed may no longer commit.
CREATE TABLE blob_cleanup (
    prefix      VARCHAR(300) PRIMARY KEY,
    due_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    claimed_at  TIMESTAMP WITH TIME ZONE
);
CREATE INDEX blob_cleanup_due ON blob_cleanup (due_at);
