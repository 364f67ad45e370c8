-- Social activity: import runs, live-pull schedules, and the indexes the importers and the
-- activity pages need. The core tables (social_account, follower_snapshot, post, rollup_dirty)
-- are in 0006 and keep their meaning.

-- Replies are found by the post they answer; parents by their platform id.
CREATE INDEX post_in_reply_to ON post (org_id, in_reply_to);
CREATE INDEX post_post_id ON post (org_id, post_id);
CREATE INDEX post_account_time ON post (org_id, account_id, created_at);

-- One run of an importer (browser upload or command line).
CREATE TABLE social_import (
    org_id      BIGINT NOT NULL REFERENCES org (id),
    id          BIGINT NOT NULL,
    format      TEXT NOT NULL,
    filename    TEXT NOT NULL,
    status      TEXT NOT NULL,
    posts       BIGINT NOT NULL DEFAULT 0,
    inserted    BIGINT NOT NULL DEFAULT 0,
    updated     BIGINT NOT NULL DEFAULT 0,
    unchanged   BIGINT NOT NULL DEFAULT 0,
    message     TEXT NOT NULL DEFAULT '',
    started_at  BIGINT NOT NULL,
    finished_at BIGINT,
    PRIMARY KEY (org_id, id)
) WITHOUT ROWID;

-- A scheduled pull of one account's public posts (Mastodon, Bluesky).
-- cursor: the newest post id seen (Mastodon since_id) or the newest time (Bluesky).
CREATE TABLE social_pull (
    org_id           BIGINT NOT NULL REFERENCES org (id),
    account_id       BIGINT NOT NULL,
    base_url         TEXT NOT NULL,
    interval_seconds BIGINT NOT NULL,
    enabled          BOOLEAN NOT NULL DEFAULT TRUE,
    cursor           TEXT,
    last_run_at      BIGINT,
    next_run_at      BIGINT NOT NULL,
    last_status      TEXT NOT NULL DEFAULT 'never',
    last_error       TEXT NOT NULL DEFAULT '',
    fetched          BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, account_id),
    FOREIGN KEY (org_id, account_id) REFERENCES social_account (org_id, id)
) WITHOUT ROWID;
CREATE INDEX social_pull_due ON social_pull (next_run_at);
