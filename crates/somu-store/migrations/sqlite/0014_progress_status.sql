-- Progress at scale: each person's standing on each assignment in force, and each person's
-- assigned courses, kept by the projector so the programme owner's view is a GROUP BY over
-- narrow rows instead of scope × people × courses on every request.
--
-- Whatever changes a person's standing marks them in `progress_dirty`: the projector (new
-- statements), assignments made or withdrawn, and the triggers below (a person joins, leaves,
-- moves audience or team, or changes start date; a track's courses change). The projector
-- recomputes the marked people and clears the marks in the same transaction.

-- The day each assignment was made (UTC), so due dates counted from it can be compared in SQL.
ALTER TABLE assignment ADD COLUMN assigned_on TEXT;
UPDATE assignment SET assigned_on = date(created_at, 'unixepoch');

-- One row per assignment in force and active person in its scope.
CREATE TABLE assignment_status (
    org_id        BIGINT NOT NULL,
    assignment_id BIGINT NOT NULL,
    person_id     BIGINT NOT NULL,
    name          TEXT NOT NULL,          -- the person's, copied for the overdue order
    audience      TEXT NOT NULL,          -- the person's, copied for grouping
    team_id       BIGINT,                 -- the person's, copied for grouping
    courses       BIGINT NOT NULL,        -- distinct courses the assignment gives
    started       BOOLEAN NOT NULL,       -- any of them begun
    done          BOOLEAN NOT NULL,       -- all of them completed (never with no courses)
    post_passed   BOOLEAN NOT NULL,       -- a track's post-test passed
    due_from      TEXT,                   -- the day the due rule counts from (NULL: no due date)
    PRIMARY KEY (org_id, assignment_id, person_id),
    FOREIGN KEY (org_id, assignment_id) REFERENCES assignment (org_id, id),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
) WITHOUT ROWID;
CREATE INDEX assignment_status_person ON assignment_status (org_id, person_id, audience, team_id,
    courses, started, done, post_passed);
CREATE INDEX assignment_status_due ON assignment_status (org_id, assignment_id, done, due_from,
    name, person_id);

-- One row per person and distinct course assigned to them, with their progress on it.
CREATE TABLE assigned_course (
    org_id      BIGINT NOT NULL,
    course_slug TEXT NOT NULL,
    person_id   BIGINT NOT NULL,
    started     BIGINT NOT NULL,        -- 1 when begun
    completed   BIGINT NOT NULL,        -- 1 when completed
    best_score  REAL,
    time_ms     BIGINT NOT NULL,
    PRIMARY KEY (org_id, course_slug, person_id),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
) WITHOUT ROWID;
CREATE INDEX assigned_course_person ON assigned_course (org_id, person_id);

-- One row per person with at least one course assigned: where they stand over all of them
-- (flags 0 or 1; `completed` when all are done, `post_passed` when also an assigned track's
-- post-test was passed). `team_id` is 0 for people without a team.
CREATE TABLE progress_person (
    org_id      BIGINT NOT NULL,
    person_id   BIGINT NOT NULL,
    audience    TEXT NOT NULL,
    team_id     BIGINT NOT NULL,
    started     BIGINT NOT NULL,
    completed   BIGINT NOT NULL,
    post_passed BIGINT NOT NULL,
    PRIMARY KEY (org_id, person_id),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
) WITHOUT ROWID;

-- The funnel summed by audience and team, and progress summed by course, kept by the triggers
-- below as rows of `progress_person` and `assigned_course` come and go (they are only ever
-- inserted and deleted), so the owner's view reads a few dozen rows whatever the size.
CREATE TABLE progress_funnel_total (
    org_id      BIGINT NOT NULL,
    audience    TEXT NOT NULL,
    team_id     BIGINT NOT NULL,
    assigned    BIGINT NOT NULL,
    started     BIGINT NOT NULL,
    completed   BIGINT NOT NULL,
    post_passed BIGINT NOT NULL,
    PRIMARY KEY (org_id, audience, team_id)
) WITHOUT ROWID;

CREATE TABLE progress_course_total (
    org_id      BIGINT NOT NULL,
    course_slug TEXT NOT NULL,
    assigned    BIGINT NOT NULL,
    started     BIGINT NOT NULL,
    completed   BIGINT NOT NULL,
    scored      BIGINT NOT NULL,        -- people with a best score
    score_sum   REAL NOT NULL,
    time_ms     BIGINT NOT NULL,
    PRIMARY KEY (org_id, course_slug)
) WITHOUT ROWID;

-- People whose rows above must be recomputed.
CREATE TABLE progress_dirty (
    org_id    BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    PRIMARY KEY (org_id, person_id)
) WITHOUT ROWID;

-- (No INSERT OR IGNORE in these: a statement's own conflict clause, such as the people
-- import's upsert, would override it.)
CREATE TRIGGER person_progress_insert AFTER INSERT ON person BEGIN
    INSERT INTO progress_dirty (org_id, person_id) SELECT NEW.org_id, NEW.id
    WHERE NOT EXISTS (SELECT 1 FROM progress_dirty WHERE org_id = NEW.org_id
        AND person_id = NEW.id);
END;

CREATE TRIGGER person_progress_update AFTER UPDATE OF name, audience, team_id, active,
start_date
ON person BEGIN
    INSERT INTO progress_dirty (org_id, person_id) SELECT NEW.org_id, NEW.id
    WHERE NOT EXISTS (SELECT 1 FROM progress_dirty WHERE org_id = NEW.org_id
        AND person_id = NEW.id);
END;

CREATE TRIGGER track_course_progress_insert AFTER INSERT ON track_course BEGIN
    INSERT INTO progress_dirty (org_id, person_id)
    SELECT DISTINCT s.org_id, s.person_id FROM track t
    JOIN assignment a ON a.org_id = t.org_id AND a.kind = 'track' AND a.target = t.slug
    JOIN assignment_status s ON s.org_id = a.org_id AND s.assignment_id = a.id
    WHERE t.org_id = NEW.org_id AND t.id = NEW.track_id
    AND NOT EXISTS (SELECT 1 FROM progress_dirty d WHERE d.org_id = s.org_id
        AND d.person_id = s.person_id);
END;

CREATE TRIGGER track_course_progress_delete AFTER DELETE ON track_course BEGIN
    INSERT INTO progress_dirty (org_id, person_id)
    SELECT DISTINCT s.org_id, s.person_id FROM track t
    JOIN assignment a ON a.org_id = t.org_id AND a.kind = 'track' AND a.target = t.slug
    JOIN assignment_status s ON s.org_id = a.org_id AND s.assignment_id = a.id
    WHERE t.org_id = OLD.org_id AND t.id = OLD.track_id
    AND NOT EXISTS (SELECT 1 FROM progress_dirty d WHERE d.org_id = s.org_id
        AND d.person_id = s.person_id);
END;

CREATE TRIGGER progress_person_added AFTER INSERT ON progress_person BEGIN
    INSERT INTO progress_funnel_total (org_id, audience, team_id, assigned, started, completed,
        post_passed)
    VALUES (NEW.org_id, NEW.audience, NEW.team_id, +1, +NEW.started, +NEW.completed,
        +NEW.post_passed)
    ON CONFLICT (org_id, audience, team_id) DO UPDATE SET
        assigned = assigned + excluded.assigned, started = started + excluded.started,
        completed = completed + excluded.completed, post_passed = post_passed + excluded.post_passed;
END;

CREATE TRIGGER assigned_course_added AFTER INSERT ON assigned_course BEGIN
    INSERT INTO progress_course_total (org_id, course_slug, assigned, started, completed, scored,
        score_sum, time_ms)
    VALUES (NEW.org_id, NEW.course_slug, +1, +NEW.started, +NEW.completed,
        CASE WHEN NEW.best_score IS NULL THEN 0 ELSE +1 END, +COALESCE(NEW.best_score, 0.0),
        +NEW.time_ms)
    ON CONFLICT (org_id, course_slug) DO UPDATE SET
        assigned = assigned + excluded.assigned, started = started + excluded.started,
        completed = completed + excluded.completed, scored = scored + excluded.scored,
        score_sum = score_sum + excluded.score_sum, time_ms = time_ms + excluded.time_ms;
END;

CREATE TRIGGER progress_person_removed AFTER DELETE ON progress_person BEGIN
    INSERT INTO progress_funnel_total (org_id, audience, team_id, assigned, started, completed,
        post_passed)
    VALUES (OLD.org_id, OLD.audience, OLD.team_id, -1, -OLD.started, -OLD.completed,
        -OLD.post_passed)
    ON CONFLICT (org_id, audience, team_id) DO UPDATE SET
        assigned = assigned + excluded.assigned, started = started + excluded.started,
        completed = completed + excluded.completed, post_passed = post_passed + excluded.post_passed;
END;

CREATE TRIGGER assigned_course_removed AFTER DELETE ON assigned_course BEGIN
    INSERT INTO progress_course_total (org_id, course_slug, assigned, started, completed, scored,
        score_sum, time_ms)
    VALUES (OLD.org_id, OLD.course_slug, -1, -OLD.started, -OLD.completed,
        CASE WHEN OLD.best_score IS NULL THEN 0 ELSE -1 END, -COALESCE(OLD.best_score, 0.0),
        -OLD.time_ms)
    ON CONFLICT (org_id, course_slug) DO UPDATE SET
        assigned = assigned + excluded.assigned, started = started + excluded.started,
        completed = completed + excluded.completed, scored = scored + excluded.scored,
        score_sum = score_sum + excluded.score_sum, time_ms = time_ms + excluded.time_ms;
END;

-- Existing organisations are computed on the projector's next round.
INSERT INTO progress_dirty (org_id, person_id) SELECT org_id, id FROM person;
