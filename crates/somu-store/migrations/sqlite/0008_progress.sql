-- Progress: assignments, the progress projection of the learning record, reminders and
-- notifications, cohorts. The projection tables are rebuilt from `statement` by the projector,
-- which remembers how far it got in `progress_watermark`.

-- A track or course assigned to a scope of people. Membership of `everyone`, `audience` and
-- `team` scopes is decided when read, so people who join later and match are included.
CREATE TABLE assignment (
    org_id      BIGINT NOT NULL REFERENCES org (id),
    id          BIGINT NOT NULL,
    kind        TEXT NOT NULL,            -- 'track' or 'course'
    target      TEXT NOT NULL,            -- the track or course slug
    scope       TEXT NOT NULL,            -- 'everyone', 'audience', 'team' or 'people'
    scope_value TEXT NOT NULL,            -- audience code, team id, or '' for the others
    mandatory   BOOLEAN NOT NULL,
    due_kind    TEXT NOT NULL,            -- 'none', 'fixed', 'start' or 'assigned'
    due_date    TEXT,                     -- for 'fixed'
    due_days    BIGINT,                   -- for 'start' and 'assigned'
    created_at  BIGINT NOT NULL,
    created_by  TEXT NOT NULL,
    archived_at BIGINT,
    PRIMARY KEY (org_id, id)
) WITHOUT ROWID;

-- The people of a 'people' scope assignment.
CREATE TABLE assignment_person (
    org_id        BIGINT NOT NULL,
    assignment_id BIGINT NOT NULL,
    person_id     BIGINT NOT NULL,
    PRIMARY KEY (org_id, assignment_id, person_id),
    FOREIGN KEY (org_id, assignment_id) REFERENCES assignment (org_id, id),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
) WITHOUT ROWID;
CREATE INDEX assignment_person_person ON assignment_person (org_id, person_id);

-- How far the projector has read the learning record, per organisation.
CREATE TABLE progress_watermark (
    org_id  BIGINT NOT NULL REFERENCES org (id),
    last_id BIGINT NOT NULL,
    PRIMARY KEY (org_id)
) WITHOUT ROWID;

-- One row per person and course they have touched.
CREATE TABLE progress_course (
    org_id       BIGINT NOT NULL,
    person_id    BIGINT NOT NULL,
    course_slug  TEXT NOT NULL,
    lessons_done BIGINT NOT NULL,
    time_ms      BIGINT NOT NULL,
    last_lesson  TEXT,
    last_at      BIGINT NOT NULL,
    started_at   BIGINT NOT NULL,
    completed_at BIGINT,
    best_score   REAL,
    PRIMARY KEY (org_id, person_id, course_slug),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
) WITHOUT ROWID;
CREATE INDEX progress_course_course ON progress_course (org_id, course_slug, person_id);

-- The distinct lessons a person has finished (so re-reading a lesson counts once).
CREATE TABLE progress_lesson (
    org_id     BIGINT NOT NULL,
    person_id  BIGINT NOT NULL,
    lesson_key TEXT NOT NULL,
    PRIMARY KEY (org_id, person_id, lesson_key),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
) WITHOUT ROWID;

-- Per person and track: pre-test and post-test scores, and completion.
CREATE TABLE progress_track (
    org_id       BIGINT NOT NULL,
    person_id    BIGINT NOT NULL,
    track_slug   TEXT NOT NULL,
    pre_score    REAL,
    post_score   REAL,
    post_passed  BOOLEAN NOT NULL,
    completed_at BIGINT,
    PRIMARY KEY (org_id, person_id, track_slug),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
) WITHOUT ROWID;
CREATE INDEX progress_track_track ON progress_track (org_id, track_slug, person_id);

-- In-app notifications (reminders) on the learner home.
CREATE TABLE notification (
    org_id     BIGINT NOT NULL,
    id         BIGINT NOT NULL,
    person_id  BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    subject    TEXT NOT NULL,
    link       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at    BIGINT,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
) WITHOUT ROWID;
CREATE INDEX notification_person ON notification (org_id, person_id, id);

-- A reminder claimed: the row is inserted before anything is sent, so each is sent once
-- whatever the number of servers.
CREATE TABLE reminder_sent (
    org_id        BIGINT NOT NULL,
    assignment_id BIGINT NOT NULL,
    person_id     BIGINT NOT NULL,
    kind          TEXT NOT NULL,          -- 'due-soon' or 'overdue'
    sent_at       BIGINT NOT NULL,
    PRIMARY KEY (org_id, assignment_id, person_id, kind),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
) WITHOUT ROWID;

CREATE TABLE cohort (
    org_id     BIGINT NOT NULL REFERENCES org (id),
    id         BIGINT NOT NULL,
    name       TEXT NOT NULL,
    track_slug TEXT NOT NULL,
    start_date TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, name)
) WITHOUT ROWID;

CREATE TABLE cohort_member (
    org_id    BIGINT NOT NULL,
    cohort_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    PRIMARY KEY (org_id, cohort_id, person_id),
    FOREIGN KEY (org_id, cohort_id) REFERENCES cohort (org_id, id),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
) WITHOUT ROWID;
CREATE INDEX cohort_member_person ON cohort_member (org_id, person_id);
