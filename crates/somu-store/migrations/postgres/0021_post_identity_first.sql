-- Fewer B-trees to write per post. A post's identity (account, post id) is now indexed post id
-- first: platforms number posts in time order, so new posts land at the end of the index instead
-- of all over it, and the same index finds a post by its platform id alone (replies name their
-- parent that way), which the separate post_post_id index did. Posts by person are found through
-- the person's accounts (post_account_time), so post_person_time goes too.
ALTER TABLE post DROP CONSTRAINT post_org_id_account_id_post_id_key;
CREATE UNIQUE INDEX post_identity ON post (org_id, post_id, account_id);
DROP INDEX post_post_id;
DROP INDEX post_person_time;
