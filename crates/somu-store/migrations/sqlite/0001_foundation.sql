-- Foundation: platform accounts and organisations, then tenant-owned tables keyed by org_id first.
-- Instants are Unix seconds (BIGINT); calendar dates are ISO text (YYYY-MM-DD).

CREATE TABLE account (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT,
    is_operator   BOOLEAN NOT NULL DEFAULT FALSE,
    locale        TEXT NOT NULL DEFAULT 'en',
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT NOT NULL
);

CREATE TABLE org (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Which organisations an account belongs to: the directory used at sign-in and for switching.
CREATE TABLE membership (
    account_id BIGINT NOT NULL REFERENCES account (id),
    org_id     BIGINT NOT NULL REFERENCES org (id),
    person_id  BIGINT NOT NULL,
    PRIMARY KEY (account_id, org_id)
) WITHOUT ROWID;

CREATE TABLE session (
    token_hash     TEXT PRIMARY KEY,
    account_id     BIGINT NOT NULL REFERENCES account (id),
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    ip             TEXT NOT NULL DEFAULT '',
    user_agent     TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX session_account ON session (account_id);

CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    failures     BIGINT NOT NULL,
    window_start BIGINT NOT NULL
) WITHOUT ROWID;

CREATE TABLE password_reset (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES account (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
) WITHOUT ROWID;

CREATE TABLE team (
    org_id     BIGINT NOT NULL REFERENCES org (id),
    id         BIGINT NOT NULL,
    name       TEXT NOT NULL,
    manager_id BIGINT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, name)
) WITHOUT ROWID;

CREATE TABLE person (
    org_id          BIGINT NOT NULL REFERENCES org (id),
    id              BIGINT NOT NULL,
    account_id      BIGINT REFERENCES account (id),
    employee_id     TEXT,
    email           TEXT NOT NULL,
    name            TEXT NOT NULL,
    audience        TEXT NOT NULL,
    team_id         BIGINT,
    manager_id      BIGINT,
    employment_type TEXT NOT NULL,
    language        TEXT NOT NULL,
    job_title       TEXT,
    start_date      TEXT,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    search          TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, email),
    UNIQUE (org_id, employee_id)
) WITHOUT ROWID;
CREATE INDEX person_name ON person (org_id, name, id);
CREATE INDEX person_audience ON person (org_id, audience, name, id);
CREATE INDEX person_team ON person (org_id, team_id, name, id);
CREATE INDEX person_manager ON person (org_id, manager_id, name, id);

CREATE TABLE person_role (
    org_id    BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    role      TEXT NOT NULL,
    PRIMARY KEY (org_id, person_id, role),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
) WITHOUT ROWID;

CREATE TABLE invitation (
    org_id      BIGINT NOT NULL,
    token_hash  TEXT NOT NULL,
    person_id   BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    accepted_at BIGINT,
    PRIMARY KEY (org_id, token_hash),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
) WITHOUT ROWID;

CREATE TABLE api_token (
    org_id       BIGINT NOT NULL REFERENCES org (id),
    id           BIGINT NOT NULL,
    account_id   BIGINT NOT NULL REFERENCES account (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT,
    revoked_at   BIGINT,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, token_hash)
) WITHOUT ROWID;

-- org_id 0 holds platform-level entries (sign-ins, organisation creation).
CREATE TABLE audit_log (
    org_id     BIGINT NOT NULL,
    id         BIGINT NOT NULL,
    at         BIGINT NOT NULL,
    account_id BIGINT,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    detail     TEXT NOT NULL,
    ip         TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
) WITHOUT ROWID;

CREATE TABLE outbox (
    org_id     BIGINT NOT NULL,
    id         BIGINT NOT NULL,
    to_addr    TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at    BIGINT,
    attempts   BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    PRIMARY KEY (org_id, id)
) WITHOUT ROWID;

CREATE TABLE job (
    org_id     BIGINT NOT NULL,
    id         BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    status     TEXT NOT NULL,
    total      BIGINT NOT NULL,
    done       BIGINT NOT NULL,
    message    TEXT NOT NULL,
    account_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, id)
) WITHOUT ROWID;
