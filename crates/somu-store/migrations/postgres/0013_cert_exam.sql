-- Certification: the written exam of a programme (item-bank questions, time limit, attempt
-- limit, cool-down after a failed attempt; attempts are quiz_attempt rows of kind 'exam'), and
-- per-credential caches for the public verification page.
CREATE TABLE programme_exam (
    org_id         BIGINT NOT NULL REFERENCES org (id),
    programme_id   BIGINT NOT NULL,
    items          TEXT NOT NULL,
    minutes        BIGINT,
    max_attempts   BIGINT,
    cooldown_hours BIGINT,
    PRIMARY KEY (org_id, programme_id)
);

-- SHA-256 (hex) of the document whose proof Somu verified (set at issue, or at the first full
-- check); the page re-verifies only when the stored document no longer has this hash.
ALTER TABLE credential ADD COLUMN verified_hash TEXT;
-- The verification page's QR code (SVG), drawn once.
ALTER TABLE credential ADD COLUMN qr_svg TEXT;
CREATE INDEX credential_expiring ON credential (org_id, valid_until);
