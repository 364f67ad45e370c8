-- Social activity as analytics reads it (PRODUCT.md, generic social activity format v1).
-- The social activity area owns these tables and may extend them in its own migration.

-- An account on a platform: a person's own (person_id set, after consent), a brand account of the
-- organisation (brand = TRUE), or someone else's (neither: authors of replies and mentions).
CREATE TABLE social_account (
    org_id         BIGINT NOT NULL REFERENCES org (id),
    id             BIGINT NOT NULL,
    platform       TEXT NOT NULL,
    handle         TEXT NOT NULL,
    person_id      BIGINT,
    brand          BOOLEAN NOT NULL DEFAULT FALSE,
    display_name   TEXT,
    consent_at     BIGINT,
    consent_source TEXT,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, platform, handle),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
) WITHOUT ROWID;
CREATE INDEX social_account_person ON social_account (org_id, person_id);

-- followers(a, t): dated follower-count snapshots.
CREATE TABLE follower_snapshot (
    org_id     BIGINT NOT NULL REFERENCES org (id),
    account_id BIGINT NOT NULL,
    at         BIGINT NOT NULL,
    followers  BIGINT NOT NULL,
    PRIMARY KEY (org_id, account_id, at),
    FOREIGN KEY (org_id, account_id) REFERENCES social_account (org_id, id)
) WITHOUT ROWID;

-- Posts, replies, reposts and mentions. Identity: (platform, account, post_id).
-- kind: original | reply | repost | quote. person_id repeats the author account's person (NULL for
-- brand and outside accounts) so per-person rollups need no join.
CREATE TABLE post (
    org_id             BIGINT NOT NULL REFERENCES org (id),
    id                 BIGINT NOT NULL,
    account_id         BIGINT NOT NULL,
    post_id            TEXT NOT NULL,
    person_id          BIGINT,
    created_at         BIGINT NOT NULL,
    kind               TEXT NOT NULL,
    text               TEXT NOT NULL,
    in_reply_to        TEXT,
    likes              BIGINT NOT NULL DEFAULT 0,
    reposts            BIGINT NOT NULL DEFAULT 0,
    replies            BIGINT NOT NULL DEFAULT 0,
    quotes             BIGINT NOT NULL DEFAULT 0,
    clicks             BIGINT NOT NULL DEFAULT 0,
    saves              BIGINT NOT NULL DEFAULT 0,
    impressions        BIGINT,
    followers          BIGINT NOT NULL,
    sentiment          REAL,
    response_sentiment REAL,
    mentions           TEXT NOT NULL DEFAULT '',
    mentions_brand     BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at         BIGINT NOT NULL,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, account_id, post_id),
    FOREIGN KEY (org_id, account_id) REFERENCES social_account (org_id, id)
) WITHOUT ROWID;
CREATE INDEX post_person_time ON post (org_id, person_id, created_at);
CREATE INDEX post_time ON post (org_id, created_at);

-- Weeks whose roll-ups must be recomputed: whoever writes posts or follower snapshots marks the
-- (account, week) it touched, in the same transaction; the analytics roll-up consumes the marks.
-- week_start: Unix seconds of the Monday 00:00 UTC starting the ISO week.
CREATE TABLE rollup_dirty (
    org_id     BIGINT NOT NULL REFERENCES org (id),
    account_id BIGINT NOT NULL,
    week_start BIGINT NOT NULL,
    PRIMARY KEY (org_id, account_id, week_start)
) WITHOUT ROWID;
