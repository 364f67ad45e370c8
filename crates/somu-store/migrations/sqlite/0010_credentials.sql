-- Certification: programmes with ordered requirements, capstones and their grading, issuer
-- keys (sealed with the server's credential secret), issued credentials and status lists.
CREATE TABLE programme (
    org_id            BIGINT NOT NULL REFERENCES org (id),
    id                BIGINT NOT NULL,
    slug              TEXT NOT NULL,
    title             TEXT NOT NULL,
    summary           TEXT NOT NULL,
    requirements      TEXT NOT NULL,
    capstone_brief    TEXT NOT NULL,
    rubric            TEXT NOT NULL,
    needs_approval    BIGINT NOT NULL DEFAULT 0,
    second_grader     BIGINT NOT NULL DEFAULT 0,
    valid_months      BIGINT,
    refresher_course  TEXT,
    created_at        BIGINT NOT NULL,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, slug)
) WITHOUT ROWID;

CREATE TABLE capstone (
    org_id       BIGINT NOT NULL REFERENCES org (id),
    id           BIGINT NOT NULL,
    programme_id BIGINT NOT NULL,
    person_id    BIGINT NOT NULL,
    team         TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    links        TEXT NOT NULL,
    status       TEXT NOT NULL,
    percent      REAL,
    feedback     TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    decided_at   BIGINT,
    PRIMARY KEY (org_id, id)
) WITHOUT ROWID;
CREATE INDEX capstone_by_status ON capstone (org_id, status, submitted_at);

CREATE TABLE capstone_file (
    org_id     BIGINT NOT NULL REFERENCES org (id),
    capstone_id BIGINT NOT NULL,
    id         BIGINT NOT NULL,
    person_id  BIGINT NOT NULL,
    name       TEXT NOT NULL,
    mime       TEXT NOT NULL,
    data       BLOB NOT NULL,
    PRIMARY KEY (org_id, capstone_id, id)
) WITHOUT ROWID;

CREATE TABLE capstone_grade (
    org_id      BIGINT NOT NULL REFERENCES org (id),
    capstone_id BIGINT NOT NULL,
    grader_id   BIGINT NOT NULL,
    levels      TEXT NOT NULL,
    comments    TEXT NOT NULL,
    feedback    TEXT NOT NULL,
    percent     REAL NOT NULL,
    decision    TEXT NOT NULL,
    at          BIGINT NOT NULL,
    PRIMARY KEY (org_id, capstone_id, grader_id)
) WITHOUT ROWID;

CREATE TABLE issuer_key (
    org_id     BIGINT NOT NULL REFERENCES org (id),
    id         BIGINT NOT NULL,
    public_key TEXT NOT NULL,
    sealed     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT,
    PRIMARY KEY (org_id, id)
) WITHOUT ROWID;

CREATE TABLE credential (
    org_id       BIGINT NOT NULL REFERENCES org (id),
    id           BIGINT NOT NULL,
    uuid         TEXT NOT NULL UNIQUE,
    person_id    BIGINT NOT NULL,
    programme_id BIGINT NOT NULL,
    state        TEXT NOT NULL,
    issued_at    BIGINT NOT NULL,
    valid_until  BIGINT,
    revoked_at   BIGINT,
    revoke_reason TEXT NOT NULL DEFAULT '',
    replaces_id  BIGINT,
    reminded_at  BIGINT,
    evidence     TEXT NOT NULL,
    document     TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
) WITHOUT ROWID;
CREATE INDEX credential_by_person ON credential (org_id, person_id);

CREATE TABLE status_list (
    org_id     BIGINT NOT NULL REFERENCES org (id),
    id         BIGINT NOT NULL,
    document   TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, id)
) WITHOUT ROWID;

CREATE TABLE profile_card (
    org_id    BIGINT NOT NULL REFERENCES org (id),
    person_id BIGINT NOT NULL,
    token     TEXT NOT NULL UNIQUE,
    PRIMARY KEY (org_id, person_id)
) WITHOUT ROWID;
