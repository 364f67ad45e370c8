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
UPDATE assignment SET assigned_on = TO_CHAR(TO_TIMESTAMP(created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD');

-- One row per assignment in force and active person in its scope.
CREATE TABLE assignment_status (
    org_id        BIGINT NOT NULL,
    assignment_id BIGINT NOT NULL,
    person_id     BIGINT NOT NULL,
    name          TEXT NOT NULL,
    audience      TEXT NOT NULL,
    team_id       BIGINT,
    courses       BIGINT NOT NULL,
    started       BOOLEAN NOT NULL,
    done          BOOLEAN NOT NULL,
    post_passed   BOOLEAN NOT NULL,
    due_from      TEXT,
    PRIMARY KEY (org_id, assignment_id, person_id),
    FOREIGN KEY (org_id, assignment_id) REFERENCES assignment (org_id, id),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
);
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
    best_score  DOUBLE PRECISION,
    time_ms     BIGINT NOT NULL,
    PRIMARY KEY (org_id, course_slug, person_id),
    FOREIGN KEY (org_id, person_id) REFERENCES person (org_id, id)
);
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
);

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
);

CREATE TABLE progress_course_total (
    org_id      BIGINT NOT NULL,
    course_slug TEXT NOT NULL,
    assigned    BIGINT NOT NULL,
    started     BIGINT NOT NULL,
    completed   BIGINT NOT NULL,
    scored      BIGINT NOT NULL,        -- people with a best score
    score_sum   DOUBLE PRECISION NOT NULL,
    time_ms     BIGINT NOT NULL,
    PRIMARY KEY (org_id, course_slug)
);

-- People whose rows above must be recomputed.
CREATE TABLE progress_dirty (
    org_id    BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    PRIMARY KEY (org_id, person_id)
);

CREATE FUNCTION progress_person_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO progress_dirty (org_id, person_id) VALUES (NEW.org_id, NEW.id)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER person_progress_insert AFTER INSERT ON person
FOR EACH ROW EXECUTE FUNCTION progress_person_dirty();

CREATE TRIGGER person_progress_update AFTER UPDATE OF name, audience, team_id, active,
start_date
ON person FOR EACH ROW EXECUTE FUNCTION progress_person_dirty();

CREATE FUNCTION progress_track_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r track_course;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    INSERT INTO progress_dirty (org_id, person_id)
    SELECT s.org_id, s.person_id FROM track t
    JOIN assignment a ON a.org_id = t.org_id AND a.kind = 'track' AND a.target = t.slug
    JOIN assignment_status s ON s.org_id = a.org_id AND s.assignment_id = a.id
    WHERE t.org_id = r.org_id AND t.id = r.track_id
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER track_course_progress AFTER INSERT OR DELETE ON track_course
FOR EACH ROW EXECUTE FUNCTION progress_track_dirty();

CREATE FUNCTION progress_person_total() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r progress_person;
    s BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; s := -1; ELSE r := NEW; s := 1; END IF;
    INSERT INTO progress_funnel_total (org_id, audience, team_id, assigned, started, completed,
        post_passed)
    VALUES (r.org_id, r.audience, r.team_id, s, s * r.started, s * r.completed, s * r.post_passed)
    ON CONFLICT (org_id, audience, team_id) DO UPDATE SET
        assigned = progress_funnel_total.assigned + excluded.assigned,
        started = progress_funnel_total.started + excluded.started,
        completed = progress_funnel_total.completed + excluded.completed,
        post_passed = progress_funnel_total.post_passed + excluded.post_passed;
    RETURN NULL;
END
$$;

CREATE TRIGGER progress_person_total AFTER INSERT OR DELETE ON progress_person
FOR EACH ROW EXECUTE FUNCTION progress_person_total();

CREATE FUNCTION assigned_course_total() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r assigned_course;
    s BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; s := -1; ELSE r := NEW; s := 1; END IF;
    INSERT INTO progress_course_total (org_id, course_slug, assigned, started, completed, scored,
        score_sum, time_ms)
    VALUES (r.org_id, r.course_slug, s, s * r.started, s * r.completed,
        CASE WHEN r.best_score IS NULL THEN 0 ELSE s END, s * COALESCE(r.best_score, 0.0),
        s * r.time_ms)
    ON CONFLICT (org_id, course_slug) DO UPDATE SET
        assigned = progress_course_total.assigned + excluded.assigned,
        started = progress_course_total.started + excluded.started,
        completed = progress_course_total.completed + excluded.completed,
        scored = progress_course_total.scored + excluded.scored,
        score_sum = progress_course_total.score_sum + excluded.score_sum,
        time_ms = progress_course_total.time_ms + excluded.time_ms;
    RETURN NULL;
END
$$;

CREATE TRIGGER assigned_course_total AFTER INSERT OR DELETE ON assigned_course
FOR EACH ROW EXECUTE FUNCTION assigned_course_total();

-- Existing organisations are computed on the projector's next round.
INSERT INTO progress_dirty (org_id, person_id) SELECT org_id, id FROM person;
