-- Quizzes may limit the attempts a learner takes (none: unlimited).
ALTER TABLE quiz ADD COLUMN max_attempts BIGINT;
