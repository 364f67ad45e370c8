-- The learning catalogue every area reads: courses (one row per course, describing its published
-- version) and tracks (an audience's ordered set of courses). The content itself (versions,
-- lessons, quizzes) lives in the learning content tables.
CREATE TABLE course (
    org_id            BIGINT NOT NULL REFERENCES org (id),
    id                BIGINT NOT NULL,
    slug              TEXT NOT NULL,
    title             TEXT NOT NULL,
    summary           TEXT NOT NULL,
    audiences         TEXT NOT NULL,
    level             TEXT NOT NULL,
    estimated_minutes BIGINT NOT NULL,
    modules           BIGINT NOT NULL,
    lessons           BIGINT NOT NULL,
    published_version BIGINT,
    updated_at        BIGINT NOT NULL,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, slug)
) WITHOUT ROWID;

CREATE TABLE track (
    org_id     BIGINT NOT NULL REFERENCES org (id),
    id         BIGINT NOT NULL,
    slug       TEXT NOT NULL,
    audience   TEXT NOT NULL,
    title      TEXT NOT NULL,
    summary    TEXT NOT NULL,
    pass_mark  BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, slug)
) WITHOUT ROWID;

CREATE TABLE track_course (
    org_id      BIGINT NOT NULL REFERENCES org (id),
    track_id    BIGINT NOT NULL,
    position    BIGINT NOT NULL,
    course_slug TEXT NOT NULL,
    PRIMARY KEY (org_id, track_id, position),
    FOREIGN KEY (org_id, track_id) REFERENCES track (org_id, id)
) WITHOUT ROWID;
