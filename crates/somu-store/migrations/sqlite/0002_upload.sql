-- Files uploaded for multi-step work (e.g. a people CSV between mapping and import), so that any
-- app server can continue the step another one started.
CREATE TABLE upload (
    org_id     BIGINT NOT NULL,
    id         BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    filename   TEXT NOT NULL,
    content    BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, id)
) WITHOUT ROWID;
