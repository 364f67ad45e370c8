-- Reports as built, kept so that a dashboard reads one row instead of every roll-up. A snapshot
-- is used only while its stamp (what the report was built from) is still the current one.
-- The generation counts changes to an organisation's weekly roll-ups: every write to them
-- (projection, bulk load, purge of an account's posts) adds one, in the same transaction.
CREATE TABLE analytics_generation (
    org_id     BIGINT NOT NULL REFERENCES org (id),
    generation BIGINT NOT NULL,
    PRIMARY KEY (org_id)
);

CREATE TABLE report_snapshot (
    org_id   BIGINT NOT NULL REFERENCES org (id),
    key      TEXT NOT NULL,
    stamp    TEXT NOT NULL,
    built_at BIGINT NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (org_id, key)
);
