-- Post-training surveys. A send is one survey to one person for one completion and wave; its
-- row is inserted before the notification and the mail, so each goes out once whatever the number
-- of servers. Responses keep no person: the send only records that it was answered, so nobody can
-- read who answered what.

-- The organisation's own survey templates (copies of the shipped ones, edited).
CREATE TABLE survey_template (
    org_id     BIGINT NOT NULL REFERENCES org (id),
    id         BIGINT NOT NULL,
    title      TEXT NOT NULL,
    questions  TEXT NOT NULL,            -- JSON: [{text, kind, required}]
    based_on   TEXT NOT NULL,            -- the shipped code it was copied from, or ''
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, id)
);

-- Which template goes out at which wave for a track or course; no row means the default.
-- template: a shipped code, 't<id>' for the organisation's own, or '' for none.
CREATE TABLE survey_plan (
    org_id      BIGINT NOT NULL REFERENCES org (id),
    object_kind TEXT NOT NULL,           -- 'track' or 'course'
    object_key  TEXT NOT NULL,
    wave        BIGINT NOT NULL,         -- weeks after completion: 0, 6, 12
    template    TEXT NOT NULL,
    PRIMARY KEY (org_id, object_kind, object_key, wave)
);

-- Per organisation: minimum group size, reminder delay, how long a survey stays open.
CREATE TABLE survey_settings (
    org_id      BIGINT NOT NULL PRIMARY KEY REFERENCES org (id),
    min_group   BIGINT NOT NULL,
    remind_days BIGINT NOT NULL,
    open_days   BIGINT NOT NULL
);

CREATE TABLE survey_send (
    org_id       BIGINT NOT NULL REFERENCES org (id),
    id           BIGINT NOT NULL,
    person_id    BIGINT NOT NULL,
    object_kind  TEXT NOT NULL,
    object_key   TEXT NOT NULL,
    wave         BIGINT NOT NULL,
    template     TEXT NOT NULL,
    title        TEXT NOT NULL,
    questions    TEXT NOT NULL,          -- the questions as sent (later edits do not change them)
    cohort       TEXT NOT NULL,          -- completion month, YYYY-MM
    completed_at BIGINT NOT NULL,
    sent_at      BIGINT NOT NULL,
    closes_at    BIGINT NOT NULL,
    reminded_at  BIGINT,
    answered_at  BIGINT,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, person_id, object_kind, object_key, wave),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
);
CREATE INDEX survey_send_open ON survey_send (org_id, answered_at, sent_at);

-- One anonymous response: what was answered, for which survey, never by whom. The day is kept
-- (not the second) so the time cannot be matched to a send.
CREATE TABLE survey_response (
    org_id      BIGINT NOT NULL REFERENCES org (id),
    id          BIGINT NOT NULL,
    object_kind TEXT NOT NULL,
    object_key  TEXT NOT NULL,
    wave        BIGINT NOT NULL,
    template    TEXT NOT NULL,
    title       TEXT NOT NULL,
    questions   TEXT NOT NULL,
    cohort      TEXT NOT NULL,
    answers     TEXT NOT NULL,           -- JSON: one entry per question, a number, text or null
    day         TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX survey_response_key ON survey_response (org_id, object_kind, object_key, wave);
