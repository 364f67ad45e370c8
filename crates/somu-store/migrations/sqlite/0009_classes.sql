-- Instructor-led classes: sessions, registrations (with the waitlist and attendance), personal
-- calendar feed tokens, and in-app notices about sessions.
CREATE TABLE class_session (
    org_id        BIGINT NOT NULL REFERENCES org (id),
    id            BIGINT NOT NULL,
    title         TEXT NOT NULL,
    course_slug   TEXT,
    description   TEXT NOT NULL DEFAULT '',
    time_zone     TEXT NOT NULL,
    start_at      BIGINT NOT NULL,
    end_at        BIGINT NOT NULL,
    place         TEXT,
    online_url    TEXT,
    capacity      BIGINT NOT NULL,
    instructor_id BIGINT,
    visibility    TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'scheduled',
    ical_sequence BIGINT NOT NULL DEFAULT 0,
    notes         TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, instructor_id) REFERENCES person (org_id, id)
) WITHOUT ROWID;
CREATE INDEX class_session_start ON class_session (org_id, start_at);

-- One row per (session, person); `seq` orders the waitlist (first come, first promoted).
CREATE TABLE class_registration (
    org_id      BIGINT NOT NULL REFERENCES org (id),
    session_id  BIGINT NOT NULL,
    person_id   BIGINT NOT NULL,
    status      TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    attendance  TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (org_id, session_id, person_id),
    FOREIGN KEY (org_id, session_id) REFERENCES class_session (org_id, id),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
) WITHOUT ROWID;
CREATE INDEX class_registration_person ON class_registration (org_id, person_id);

-- A person's secret calendar feed; only the SHA-256 of the token is kept.
CREATE TABLE class_feed (
    org_id      BIGINT NOT NULL REFERENCES org (id),
    person_id   BIGINT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (org_id, person_id),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
) WITHOUT ROWID;

CREATE TABLE class_notice (
    org_id      BIGINT NOT NULL REFERENCES org (id),
    id          BIGINT NOT NULL,
    person_id   BIGINT NOT NULL,
    session_id  BIGINT NOT NULL,
    message     TEXT NOT NULL,
    at          BIGINT NOT NULL,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
) WITHOUT ROWID;
CREATE INDEX class_notice_person ON class_notice (org_id, person_id, at);
