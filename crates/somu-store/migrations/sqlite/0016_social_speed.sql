-- Social activity lists filtered by kind (organisation first, newest first), so that no optional
-- filter of the activity pages walks every post of the organisation.
CREATE INDEX post_kind_time ON post (org_id, kind, created_at);
