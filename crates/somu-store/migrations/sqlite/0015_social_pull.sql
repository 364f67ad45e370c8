-- Live pulls (Mastodon, Bluesky): the state a run needs to be incremental, resumable and alone.
-- remote_id:   the platform's id of the account (Mastodon account id, Bluesky DID).
-- resume_page: where an unfinished run stopped (Mastodon max_id, Bluesky cursor); NULL when the
--              last run finished. resume_floor_id / resume_floor_at: how far back that run goes.
-- lease_owner / lease_until: the server running a pull holds the lease; another takes over
--              only once it has expired.
-- last_fetched: posts and replies fetched by the last run; failures: failed runs in a row.
ALTER TABLE social_pull ADD COLUMN remote_id TEXT;
ALTER TABLE social_pull ADD COLUMN resume_page TEXT;
ALTER TABLE social_pull ADD COLUMN resume_floor_id TEXT;
ALTER TABLE social_pull ADD COLUMN resume_floor_at BIGINT;
ALTER TABLE social_pull ADD COLUMN lease_owner TEXT;
ALTER TABLE social_pull ADD COLUMN lease_until BIGINT;
ALTER TABLE social_pull ADD COLUMN last_fetched BIGINT NOT NULL DEFAULT 0;
ALTER TABLE social_pull ADD COLUMN failures BIGINT NOT NULL DEFAULT 0;
