-- Covering indexes so that counting a large people directory (and matching its search text)
-- reads narrow index entries instead of whole person rows.
CREATE INDEX person_filter ON person (org_id, active, audience, employment_type, team_id);
CREATE INDEX person_active_team ON person (org_id, active, team_id);
CREATE INDEX person_search ON person (org_id, active, search, id);
