-- Analytics: weekly roll-ups of social activity and what the organisation enters (revenue,
-- money values, programme costs). Roll-ups are a projection of `post` and `follower_snapshot`,
-- rebuilt for the (account, week) pairs marked in `rollup_dirty`; dashboards add them up.

-- One row per account and ISO week (week_start: Unix seconds of Monday 00:00 UTC). person_id and
-- brand repeat the account's owner so per-person and brand sums need no join. The columns are
-- somu_analytics::rollup::PostTotals plus the latest follower snapshot taken in the week.
CREATE TABLE analytics_account_week (
    org_id            BIGINT NOT NULL REFERENCES org (id),
    account_id        BIGINT NOT NULL,
    week_start        BIGINT NOT NULL,
    person_id         BIGINT,
    brand             BOOLEAN NOT NULL DEFAULT FALSE,
    posts             BIGINT NOT NULL DEFAULT 0,
    original_posts    BIGINT NOT NULL DEFAULT 0,
    likes             BIGINT NOT NULL DEFAULT 0,
    reposts           BIGINT NOT NULL DEFAULT 0,
    replies           BIGINT NOT NULL DEFAULT 0,
    quotes            BIGINT NOT NULL DEFAULT 0,
    clicks            BIGINT NOT NULL DEFAULT 0,
    saves             BIGINT NOT NULL DEFAULT 0,
    impressions       BIGINT NOT NULL DEFAULT 0,
    impression_posts  BIGINT NOT NULL DEFAULT 0,
    potential         BIGINT NOT NULL DEFAULT 0,
    potential_posts   BIGINT NOT NULL DEFAULT 0,
    warm_engagements  REAL NOT NULL DEFAULT 0,
    warmth_weight     BIGINT NOT NULL DEFAULT 0,
    warmth_posts      BIGINT NOT NULL DEFAULT 0,
    snapshot_at       BIGINT,
    snapshot_followers BIGINT,
    PRIMARY KEY (org_id, account_id, week_start),
    FOREIGN KEY (org_id, account_id) REFERENCES social_account (org_id, id)
) WITHOUT ROWID;
CREATE INDEX analytics_account_week_week ON analytics_account_week (org_id, week_start);
CREATE INDEX analytics_account_week_person ON analytics_account_week (org_id, person_id, week_start);

-- Revenue per calendar month (RevPAF), in cents.
CREATE TABLE analytics_revenue (
    org_id BIGINT NOT NULL REFERENCES org (id),
    month  TEXT NOT NULL,
    cents  BIGINT NOT NULL,
    PRIMARY KEY (org_id, month)
) WITHOUT ROWID;

-- Money value per engagement type (like, repost, reply, quote, click, save) and per unit of
-- effect (post, engagement, influence), in cents. No row: the organisation set no value.
CREATE TABLE analytics_value (
    org_id BIGINT NOT NULL REFERENCES org (id),
    kind   TEXT NOT NULL,
    cents  BIGINT NOT NULL,
    PRIMARY KEY (org_id, kind)
) WITHOUT ROWID;

-- Programme costs by category (content, instructors, platform, learner-hourly), in cents.
-- programme: a track slug, or '' for the whole programme.
CREATE TABLE analytics_cost (
    org_id    BIGINT NOT NULL REFERENCES org (id),
    programme TEXT NOT NULL,
    category  TEXT NOT NULL,
    cents     BIGINT NOT NULL,
    PRIMARY KEY (org_id, programme, category)
) WITHOUT ROWID;
