-- Fewer B-trees to write per post. A post's identity (account, post id) is now indexed post id
-- first: platforms number posts in time order, so new posts land at the end of the index instead
-- of all over it (account first scattered every import's rows across the whole index), and the
-- same index finds a post by its platform id alone (replies name their parent that way), which
-- the separate post_post_id index did. Posts by person are found through the person's accounts
-- (post_account_time), so post_person_time goes too.
-- SQLite cannot change a table's constraints in place: the table is copied.
CREATE TABLE post_new (
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
    FOREIGN KEY (org_id, account_id) REFERENCES social_account (org_id, id)
) WITHOUT ROWID;
INSERT INTO post_new (org_id, id, account_id, post_id, person_id, created_at, kind, text, in_reply_to,
    likes, reposts, replies, quotes, clicks, saves, impressions, followers, sentiment, response_sentiment,
    mentions, mentions_brand, updated_at)
SELECT org_id, id, account_id, post_id, person_id, created_at, kind, text, in_reply_to,
    likes, reposts, replies, quotes, clicks, saves, impressions, followers, sentiment, response_sentiment,
    mentions, mentions_brand, updated_at
FROM post;
DROP TABLE post;
ALTER TABLE post_new RENAME TO post;
CREATE UNIQUE INDEX post_identity ON post (org_id, post_id, account_id);
CREATE INDEX post_account_time ON post (org_id, account_id, created_at);
CREATE INDEX post_time ON post (org_id, created_at);
CREATE INDEX post_kind_time ON post (org_id, kind, created_at);
CREATE INDEX post_in_reply_to ON post (org_id, in_reply_to) WHERE in_reply_to IS NOT NULL;
