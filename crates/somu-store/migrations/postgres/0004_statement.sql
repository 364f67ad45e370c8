-- The learning record: one row per xAPI statement (see somu_domain::xapi). Progress, certification
-- requirements and analytics read from here. Append-only; erased with the person.
CREATE TABLE statement (
    org_id       BIGINT NOT NULL REFERENCES org (id),
    id           BIGINT NOT NULL,
    uuid         TEXT NOT NULL,
    person_id    BIGINT NOT NULL,
    verb         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    key          TEXT NOT NULL,
    name         TEXT NOT NULL,
    parent_kind  TEXT,
    parent_key   TEXT,
    registration TEXT,
    score_scaled DOUBLE PRECISION,
    score_raw    DOUBLE PRECISION,
    score_max    DOUBLE PRECISION,
    success      BOOLEAN,
    completion   BOOLEAN,
    duration_ms  BIGINT,
    response     TEXT,
    at           BIGINT NOT NULL,
    stored       BIGINT NOT NULL,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, uuid),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
);
CREATE INDEX statement_person ON statement (org_id, person_id, at);
CREATE INDEX statement_object ON statement (org_id, kind, key, verb);
