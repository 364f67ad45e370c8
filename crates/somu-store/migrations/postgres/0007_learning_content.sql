-- Learning content: course versions (the package kept byte for byte so an export is exact),
-- lessons and quiz questions of every version addressable for fast pages, the item bank and the
-- tracks' test items, the organisation's placeholder values, lesson visits (for time spent),
-- quiz and test attempts with their answers (short text waits for an instructor's grade).
CREATE TABLE course_version (
    org_id       BIGINT NOT NULL REFERENCES org (id),
    id           BIGINT NOT NULL,
    course_slug  TEXT NOT NULL,
    status       TEXT NOT NULL,
    label        TEXT NOT NULL,
    title        TEXT NOT NULL,
    registration TEXT NOT NULL,
    digest       TEXT NOT NULL,
    package      BYTEA NOT NULL,
    created_at   BIGINT NOT NULL,
    published_at BIGINT,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX course_version_slug ON course_version (org_id, course_slug, status);

CREATE TABLE lesson (
    org_id       BIGINT NOT NULL REFERENCES org (id),
    version_id   BIGINT NOT NULL,
    position     BIGINT NOT NULL,
    module_slug  TEXT NOT NULL,
    module_title TEXT NOT NULL,
    slug         TEXT NOT NULL,
    file         TEXT NOT NULL,
    title        TEXT NOT NULL,
    minutes      BIGINT NOT NULL,
    body         TEXT NOT NULL,
    PRIMARY KEY (org_id, version_id, position),
    UNIQUE (org_id, version_id, module_slug, slug),
    FOREIGN KEY (org_id, version_id) REFERENCES course_version (org_id, id)
);

CREATE TABLE quiz (
    org_id      BIGINT NOT NULL REFERENCES org (id),
    version_id  BIGINT NOT NULL,
    module_slug TEXT NOT NULL,
    title       TEXT NOT NULL,
    pass_mark   BIGINT NOT NULL,
    PRIMARY KEY (org_id, version_id, module_slug),
    FOREIGN KEY (org_id, version_id) REFERENCES course_version (org_id, id)
);

-- A question of a module quiz (version_id, module_slug) or of the item bank (version_id 0,
-- module_slug '' and topic set). Options are JSON: [[text, correct, explanation], ...].
CREATE TABLE question (
    org_id      BIGINT NOT NULL REFERENCES org (id),
    version_id  BIGINT NOT NULL,
    module_slug TEXT NOT NULL,
    position    BIGINT NOT NULL,
    question_id TEXT NOT NULL,
    topic       TEXT,
    kind        TEXT NOT NULL,
    prompt      TEXT NOT NULL,
    rubric      TEXT,
    options     TEXT NOT NULL,
    PRIMARY KEY (org_id, version_id, module_slug, position)
);
CREATE INDEX question_id ON question (org_id, version_id, question_id);

CREATE TABLE track_test_item (
    org_id     BIGINT NOT NULL REFERENCES org (id),
    track_slug TEXT NOT NULL,
    position   BIGINT NOT NULL,
    item_id    TEXT NOT NULL,
    PRIMARY KEY (org_id, track_slug, position)
);

CREATE TABLE org_placeholder (
    org_id      BIGINT NOT NULL REFERENCES org (id),
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    value       TEXT,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (org_id, name)
);

CREATE TABLE lesson_open (
    org_id     BIGINT NOT NULL REFERENCES org (id),
    person_id  BIGINT NOT NULL,
    lesson_key TEXT NOT NULL,
    opened_at  BIGINT NOT NULL,
    PRIMARY KEY (org_id, person_id, lesson_key)
);

-- kind: quiz (key course/module, version set) or test (key track/pre|post).
-- status: open, pending (short text waits), passed, failed.
CREATE TABLE quiz_attempt (
    org_id       BIGINT NOT NULL REFERENCES org (id),
    id           BIGINT NOT NULL,
    person_id    BIGINT NOT NULL,
    kind         TEXT NOT NULL,
    key          TEXT NOT NULL,
    version_id   BIGINT,
    registration TEXT NOT NULL,
    seed         BIGINT NOT NULL,
    status       TEXT NOT NULL,
    points       DOUBLE PRECISION,
    max_points   DOUBLE PRECISION,
    scaled       DOUBLE PRECISION,
    started_at   BIGINT NOT NULL,
    submitted_at BIGINT,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX quiz_attempt_person ON quiz_attempt (org_id, person_id, kind, key);
CREATE INDEX quiz_attempt_status ON quiz_attempt (org_id, status);

CREATE TABLE quiz_answer (
    org_id      BIGINT NOT NULL REFERENCES org (id),
    attempt_id  BIGINT NOT NULL,
    position    BIGINT NOT NULL,
    person_id   BIGINT NOT NULL,
    question_id TEXT NOT NULL,
    response    TEXT NOT NULL,
    verdict     TEXT NOT NULL,
    score       DOUBLE PRECISION NOT NULL,
    graded_by   BIGINT,
    graded_at   BIGINT,
    PRIMARY KEY (org_id, attempt_id, position),
    FOREIGN KEY (org_id, attempt_id) REFERENCES quiz_attempt (org_id, id)
);
