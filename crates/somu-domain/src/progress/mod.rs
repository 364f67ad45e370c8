//! Assignments, due dates, reminders and historical completions: the rules, without I/O.
//!
//! An assignment gives a track or a course to a scope of people (everyone, an audience, a team or
//! a list), mandatory or voluntary, with a due date that is fixed or relative to the person's
//! start date or to the assignment date. Reminders go out before the due date and once it has
//! passed.

use crate::org::Audience;
use crate::time_util::parse_date;
use crate::{FieldError, FieldErrors};
use time::{Date, Duration};

mod completions;
pub use completions::*;

crate::closed_set!(
    /// What an assignment gives: a whole track or one course.
    AssignKind {
        /// An audience's ordered set of courses.
        Track = "track",
        /// One course.
        Course = "course",
    }
);

crate::closed_set!(
    /// Who an assignment is for.
    ScopeKind {
        /// Every active member, including people who join later.
        Everyone = "everyone",
        /// Everyone in an audience, including people who join it later.
        Audience = "audience",
        /// Everyone in a team, including people who join it later.
        Team = "team",
        /// A fixed list of people.
        People = "people",
    }
);

crate::closed_set!(
    /// How an assignment's due date is set.
    DueKind {
        /// No due date.
        None = "none",
        /// One calendar date for everyone.
        Fixed = "fixed",
        /// N days after the person's start date (e.g. new hires within 30 days).
        Start = "start",
        /// N days after the assignment was made.
        Assigned = "assigned",
    }
);

crate::closed_set!(
    /// A reminder about an assignment.
    ReminderKind {
        /// The due date is within [`DUE_SOON_DAYS`] days.
        DueSoon = "due-soon",
        /// The due date has passed.
        Overdue = "overdue",
    }
);

/// How many days before the due date the "due soon" reminder goes out.
pub const DUE_SOON_DAYS: i64 = 7;

/// The due-date rule of an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueRule {
    /// No due date.
    None,
    /// A fixed date.
    Fixed(Date),
    /// Days after the person's start date (the assignment date when the start date is unknown
    /// or earlier than the assignment: nobody is due before they were assigned).
    AfterStart(i64),
    /// Days after the assignment date.
    AfterAssigned(i64),
}

impl DueRule {
    /// Rebuild from stored columns; unknown or incomplete combinations mean no due date.
    pub fn from_parts(kind: &str, date: Option<&str>, days: Option<i64>) -> DueRule {
        match (kind.parse::<DueKind>(), date.and_then(parse_date), days) {
            (Ok(DueKind::Fixed), Some(d), _) => DueRule::Fixed(d),
            (Ok(DueKind::Start), _, Some(n)) => DueRule::AfterStart(n),
            (Ok(DueKind::Assigned), _, Some(n)) => DueRule::AfterAssigned(n),
            _ => DueRule::None,
        }
    }

    /// The stored columns: (kind, fixed date, days).
    pub fn parts(self) -> (DueKind, Option<Date>, Option<i64>) {
        match self {
            DueRule::None => (DueKind::None, None, None),
            DueRule::Fixed(d) => (DueKind::Fixed, Some(d), None),
            DueRule::AfterStart(n) => (DueKind::Start, None, Some(n)),
            DueRule::AfterAssigned(n) => (DueKind::Assigned, None, Some(n)),
        }
    }

    /// The due date for one person.
    ///
    /// `AfterStart(30)` for someone who starts on 2026-03-02, assigned 2026-01-10, is 2026-04-01;
    /// for someone who started in 2020 it counts from the assignment date instead (2026-02-09),
    /// so long-serving staff are not overdue on the day a new-hire rule is created.
    pub fn due_for(self, start: Option<Date>, assigned: Date) -> Option<Date> {
        match self {
            DueRule::None => None,
            DueRule::Fixed(d) => Some(d),
            DueRule::AfterStart(n) => {
                let from = start.filter(|s| *s > assigned).unwrap_or(assigned);
                from.checked_add(Duration::days(n))
            }
            DueRule::AfterAssigned(n) => assigned.checked_add(Duration::days(n)),
        }
    }
}

/// Which reminder, if any, is due on `today` for work due on `due` and not yet done.
pub fn reminder_due(due: Date, today: Date) -> Option<ReminderKind> {
    let days_left = (due - today).whole_days();
    if days_left < 0 {
        Some(ReminderKind::Overdue)
    } else if days_left <= DUE_SOON_DAYS {
        Some(ReminderKind::DueSoon)
    } else {
        None
    }
}

/// Where a person stands with one assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    /// Past the due date and not done.
    Overdue,
    /// Started, not done.
    InProgress,
    /// Not started.
    NotStarted,
    /// Done.
    Done,
}

impl Standing {
    /// Decide from the courses done out of the total, whether anything was started, the due
    /// date and today.
    pub fn of(done: usize, total: usize, started: bool, due: Option<Date>, today: Date) -> Self {
        if total > 0 && done >= total {
            Standing::Done
        } else if due.is_some_and(|d| d < today) {
            Standing::Overdue
        } else if started || done > 0 {
            Standing::InProgress
        } else {
            Standing::NotStarted
        }
    }

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Standing::Overdue => "overdue",
            Standing::InProgress => "in-progress",
            Standing::NotStarted => "not-started",
            Standing::Done => "done",
        }
    }
}

/// A validated assignment, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignmentInput {
    /// Track or course.
    pub kind: AssignKind,
    /// Its slug.
    pub target: String,
    /// Scope kind.
    pub scope: ScopeKind,
    /// Audience code or team id for those scopes; empty otherwise.
    pub scope_value: String,
    /// The listed people's emails or employee ids, for [`ScopeKind::People`].
    pub people: Vec<String>,
    /// Mandatory (listed first, reminded) or voluntary.
    pub mandatory: bool,
    /// The due-date rule.
    pub due: DueRule,
}

/// An assignment as typed into a form or an API body, every field text.
#[derive(Debug, Clone, Default)]
pub struct AssignmentDraft {
    /// `track:<slug>` or `course:<slug>`.
    pub target: String,
    /// Scope code.
    pub scope: String,
    /// Audience code (for `audience`).
    pub audience: String,
    /// Team id (for `team`).
    pub team: String,
    /// Emails or employee ids separated by commas, semicolons, spaces or new lines (for `people`).
    pub people: String,
    /// Mandatory.
    pub mandatory: bool,
    /// Due kind code.
    pub due: String,
    /// Fixed date `YYYY-MM-DD`.
    pub due_date: String,
    /// Days for relative dates.
    pub due_days: String,
}

impl AssignmentDraft {
    /// Check every field; `today` refuses a fixed date in the past. Whether the target, team and
    /// people exist is checked by the caller against the store (see [`AssignmentInput`]).
    pub fn validate(&self, today: Date) -> Result<AssignmentInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let target = match self.target.trim().split_once(':') {
            Some((k, slug)) if !slug.trim().is_empty() => match k.parse::<AssignKind>() {
                Ok(kind) => Some((kind, slug.trim().to_string())),
                Err(e) => {
                    errors.push(FieldError::new("target", "invalid", e.to_string()));
                    None
                }
            },
            _ => {
                errors.push(FieldError::new(
                    "target",
                    "required",
                    "choose a track or a course",
                ));
                None
            }
        };
        let scope = match self.scope.parse::<ScopeKind>() {
            Ok(s) => Some(s),
            Err(e) => {
                errors.push(FieldError::new("scope", "invalid", e.to_string()));
                None
            }
        };
        let mut scope_value = String::new();
        let mut people = Vec::new();
        match scope {
            Some(ScopeKind::Audience) => match self.audience.parse::<Audience>() {
                Ok(a) => scope_value = a.code().to_string(),
                Err(e) => errors.push(FieldError::new("audience", "invalid", e.to_string())),
            },
            Some(ScopeKind::Team) => match self.team.trim().parse::<i64>() {
                Ok(id) if id > 0 => scope_value = id.to_string(),
                _ => errors.push(FieldError::new("team", "required", "choose a team")),
            },
            Some(ScopeKind::People) => {
                people = split_list(&self.people);
                if people.is_empty() {
                    errors.push(FieldError::new(
                        "people",
                        "required",
                        "list at least one person by email or employee id",
                    ));
                }
            }
            _ => {}
        }
        let days = || match self.due_days.trim().parse::<i64>() {
            Ok(n) if (1..=3650).contains(&n) => Ok(n),
            _ => Err(FieldError::new(
                "due_days",
                "range",
                "give a number of days from 1 to 3650",
            )),
        };
        let due = match self.due.parse::<DueKind>() {
            Ok(DueKind::None) => Ok(DueRule::None),
            Ok(DueKind::Fixed) => match parse_date(&self.due_date) {
                Some(d) if d < today => Err(FieldError::new(
                    "due_date",
                    "past",
                    format!("the due date {d} is in the past"),
                )),
                Some(d) => Ok(DueRule::Fixed(d)),
                None => Err(FieldError::new(
                    "due_date",
                    "invalid-date",
                    "give the due date as YYYY-MM-DD",
                )),
            },
            Ok(DueKind::Start) => days().map(DueRule::AfterStart),
            Ok(DueKind::Assigned) => days().map(DueRule::AfterAssigned),
            Err(e) => Err(FieldError::new("due", "invalid", e.to_string())),
        };
        let due = due.map_err(|e| errors.push(e)).ok();
        match (target, scope, due) {
            (Some((kind, target)), Some(scope), Some(due)) if errors.is_empty() => {
                Ok(AssignmentInput {
                    kind,
                    target,
                    scope,
                    scope_value,
                    people,
                    mandatory: self.mandatory,
                    due,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Split a typed list of emails or ids on commas, semicolons and white space, dropping repeats.
pub fn split_list(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in s.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        let item = item.trim();
        if !item.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(item)) {
            out.push(item.to_string());
        }
    }
    out
}

/// Stages of the completion funnel, each a subset of the one before.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Funnel {
    /// People with at least one assignment.
    pub assigned: i64,
    /// Of those, people who started an assigned course.
    pub started: i64,
    /// Of those, people who completed everything assigned.
    pub completed: i64,
    /// Of those, people who passed an assigned track's post-test.
    pub post_passed: i64,
}

impl Funnel {
    /// Percent of `assigned` at a stage (0 when nobody is assigned).
    pub fn percent(&self, stage: i64) -> i64 {
        if self.assigned == 0 {
            0
        } else {
            (stage * 100 + self.assigned / 2) / self.assigned
        }
    }
}

/// Learning gain on a track: post-test minus pre-test score, in percentage points.
pub fn gain(pre: Option<f64>, post: Option<f64>) -> Option<f64> {
    Some((post? - pre?) * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn relative_due_dates_count_from_the_later_of_start_and_assignment() {
        let assigned = date!(2026 - 01 - 10);
        // New hire starting 2026-03-02: 30 days later is 2026-04-01.
        assert_eq!(
            DueRule::AfterStart(30).due_for(Some(date!(2026 - 03 - 02)), assigned),
            Some(date!(2026 - 04 - 01))
        );
        // Someone who started in 2020 counts from the assignment: 2026-01-10 + 30 = 2026-02-09.
        assert_eq!(
            DueRule::AfterStart(30).due_for(Some(date!(2020 - 05 - 01)), assigned),
            Some(date!(2026 - 02 - 09))
        );
        assert_eq!(
            DueRule::AfterAssigned(14).due_for(None, assigned),
            Some(date!(2026 - 01 - 24))
        );
        assert_eq!(DueRule::None.due_for(None, assigned), None);
    }

    #[test]
    fn due_rules_round_trip_through_their_columns() {
        for rule in [
            DueRule::None,
            DueRule::Fixed(date!(2026 - 05 - 01)),
            DueRule::AfterStart(30),
            DueRule::AfterAssigned(7),
        ] {
            let (kind, d, n) = rule.parts();
            let d = d.map(crate::time_util::format_date);
            assert_eq!(DueRule::from_parts(kind.code(), d.as_deref(), n), rule);
        }
    }

    #[test]
    fn reminders_start_a_week_before_and_turn_overdue_the_day_after() {
        let due = date!(2026 - 03 - 20);
        assert_eq!(reminder_due(due, date!(2026 - 03 - 12)), None);
        assert_eq!(
            reminder_due(due, date!(2026 - 03 - 13)),
            Some(ReminderKind::DueSoon)
        );
        assert_eq!(
            reminder_due(due, date!(2026 - 03 - 20)),
            Some(ReminderKind::DueSoon)
        );
        assert_eq!(
            reminder_due(due, date!(2026 - 03 - 21)),
            Some(ReminderKind::Overdue)
        );
    }

    #[test]
    fn standing_puts_done_before_overdue() {
        let today = date!(2026 - 03 - 21);
        let past = Some(date!(2026 - 03 - 01));
        assert_eq!(Standing::of(3, 3, true, past, today), Standing::Done);
        assert_eq!(Standing::of(1, 3, true, past, today), Standing::Overdue);
        assert_eq!(Standing::of(1, 3, true, None, today), Standing::InProgress);
        assert_eq!(Standing::of(0, 3, false, None, today), Standing::NotStarted);
    }

    #[test]
    fn a_draft_names_every_bad_field() {
        let today = date!(2026 - 03 - 21);
        let draft = AssignmentDraft {
            target: "lesson:x".into(),
            scope: "people".into(),
            people: " , ;".into(),
            due: "fixed".into(),
            due_date: "2026-03-20".into(),
            ..Default::default()
        };
        let errors = draft.validate(today).expect_err("bad draft");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["target", "people", "due_date"]);
    }

    #[test]
    fn a_good_draft_becomes_an_input() {
        let draft = AssignmentDraft {
            target: "track:practitioner".into(),
            scope: "audience".into(),
            audience: "Practitioner".into(),
            mandatory: true,
            due: "start".into(),
            due_days: "30".into(),
            ..Default::default()
        };
        let input = draft.validate(date!(2026 - 03 - 21)).expect("valid");
        assert_eq!(input.kind, AssignKind::Track);
        assert_eq!(input.scope_value, "practitioner");
        assert_eq!(input.due, DueRule::AfterStart(30));
    }

    #[test]
    fn funnel_percent_rounds_and_survives_zero() {
        let f = Funnel {
            assigned: 3,
            started: 2,
            completed: 1,
            post_passed: 0,
        };
        // 2/3 = 66.7% rounds to 67; 1/3 = 33.3% to 33.
        assert_eq!((f.percent(f.started), f.percent(f.completed)), (67, 33));
        assert_eq!(Funnel::default().percent(0), 0);
    }

    #[test]
    fn gain_is_in_points() {
        // 0.45 → 0.80 is a gain of 35 points.
        let g = gain(Some(0.45), Some(0.80)).expect("both");
        assert!((g - 35.0).abs() < 1e-9);
        assert_eq!(gain(None, Some(0.8)), None);
    }
}
