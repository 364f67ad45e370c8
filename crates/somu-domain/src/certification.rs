//! Certification programmes: requirements that combine courses, an exam, attendance and a
//! graded capstone, with alternatives and an order; the verdict on one person's record; the
//! capstone rubric.
//!
//! A programme's requirements are an ordered list of *steps*. A step is met when any one of its
//! *alternatives* is met (e.g. "course X, or its recognised prior equivalent Y"). The programme
//! is met when every step is met. Order is the order a learner is guided through: the *next*
//! step is the first one not met.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One way of meeting a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Condition {
    /// The course with this slug is completed.
    Course {
        /// Course slug.
        slug: String,
    },
    /// The programme's exam passed with at least this percentage.
    Exam {
        /// Minimum score in percent (0–100).
        min_percent: u8,
    },
    /// At least this many instructor-led sessions attended.
    Sessions {
        /// How many.
        count: u32,
    },
    /// The capstone project graded at or above this percentage of the rubric.
    Capstone {
        /// Minimum rubric score in percent (0–100).
        min_percent: u8,
    },
}

/// A step: met when any alternative is met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// The alternatives; at least one.
    pub any_of: Vec<Condition>,
}

/// What the learning record says about one person for one programme.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// Slugs of the courses completed.
    pub completed_courses: BTreeSet<String>,
    /// Best exam score (percent), if the exam was taken.
    pub best_exam_percent: Option<f64>,
    /// Sessions attended (distinct).
    pub sessions_attended: u32,
    /// Best passed capstone score (percent), if a capstone passed.
    pub capstone_percent: Option<f64>,
}

impl Condition {
    /// Whether the facts meet this condition.
    pub fn is_met(&self, f: &Facts) -> bool {
        match self {
            Condition::Course { slug } => f.completed_courses.contains(slug),
            Condition::Exam { min_percent } => f
                .best_exam_percent
                .is_some_and(|s| s >= f64::from(*min_percent)),
            Condition::Sessions { count } => f.sessions_attended >= *count,
            Condition::Capstone { min_percent } => f
                .capstone_percent
                .is_some_and(|s| s >= f64::from(*min_percent)),
        }
    }
}

/// The verdict on each step, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// Per step: whether it is met.
    pub met: Vec<bool>,
}

impl Progress {
    /// Every step met.
    pub fn complete(&self) -> bool {
        self.met.iter().all(|m| *m)
    }

    /// Index of the first step not met (the one to work on next).
    pub fn next(&self) -> Option<usize> {
        self.met.iter().position(|m| !m)
    }

    /// Steps met.
    pub fn done(&self) -> usize {
        self.met.iter().filter(|m| **m).count()
    }
}

/// Judge `steps` against `facts`.
pub fn evaluate(steps: &[Step], facts: &Facts) -> Progress {
    Progress {
        met: steps
            .iter()
            .map(|s| s.any_of.iter().any(|c| c.is_met(facts)))
            .collect(),
    }
}

/// Why a requirements document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("requirements: {path}: {problem}")]
pub struct RequirementsError {
    /// JSON path of the bad part, e.g. `[2].any_of[0].min_percent`.
    pub path: String,
    /// What is wrong.
    pub problem: String,
}

/// Parse and check a requirements document (a JSON array of steps).
///
/// # Errors
/// [`RequirementsError`] naming the JSON path of the first problem.
pub fn parse_requirements(json: &str) -> Result<Vec<Step>, RequirementsError> {
    let de = &mut serde_json::Deserializer::from_str(json);
    let steps: Vec<Step> = serde_path_to_error::deserialize(de).map_err(|e| RequirementsError {
        path: e.path().to_string(),
        problem: e.inner().to_string(),
    })?;
    if steps.is_empty() {
        return Err(RequirementsError {
            path: ".".into(),
            problem: "a programme needs at least one step".into(),
        });
    }
    for (i, s) in steps.iter().enumerate() {
        if s.any_of.is_empty() {
            return Err(RequirementsError {
                path: format!("[{i}].any_of"),
                problem: "a step needs at least one alternative".into(),
            });
        }
        for (j, c) in s.any_of.iter().enumerate() {
            let pct = match c {
                Condition::Exam { min_percent } | Condition::Capstone { min_percent } => {
                    Some(*min_percent)
                }
                _ => None,
            };
            if pct.is_some_and(|p| p > 100) {
                return Err(RequirementsError {
                    path: format!("[{i}].any_of[{j}].min_percent"),
                    problem: "must be between 0 and 100".into(),
                });
            }
        }
    }
    Ok(steps)
}

/// A rubric criterion: scored at one of `levels` (0 = lowest … levels−1 = highest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// Short name, e.g. "Goal and KPI".
    pub name: String,
    /// Number of levels (at least 2).
    pub levels: u8,
}

/// The default capstone rubric of the shipped programmes: five criteria of four levels.
pub fn default_rubric() -> Vec<Criterion> {
    [
        "Business goal and measurable KPI",
        "Audience and channel choice",
        "Content and community plan",
        "Risk, policy and escalation",
        "Measurement and reporting",
    ]
    .into_iter()
    .map(|n| Criterion {
        name: n.into(),
        levels: 4,
    })
    .collect()
}

/// A rubric score out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("criterion {index} ({name}): level {level} is outside 0–{max}")]
pub struct ScoreError {
    /// Criterion index (0-based).
    pub index: usize,
    /// Criterion name.
    pub name: String,
    /// The level given.
    pub level: i64,
    /// Highest allowed level.
    pub max: u8,
}

/// Rubric percentage: Σ level / Σ (levels − 1) × 100.
///
/// # Errors
/// [`ScoreError`] when a level is outside its criterion's range or a criterion is unscored.
pub fn rubric_percent(rubric: &[Criterion], levels: &[i64]) -> Result<f64, ScoreError> {
    let mut got = 0i64;
    let mut max = 0i64;
    for (i, c) in rubric.iter().enumerate() {
        let top = c.levels.saturating_sub(1);
        let level = levels.get(i).copied().unwrap_or(-1);
        if level < 0 || level > i64::from(top) {
            return Err(ScoreError {
                index: i,
                name: c.name.clone(),
                level,
                max: top,
            });
        }
        got += level;
        max += i64::from(top);
    }
    Ok(if max == 0 {
        0.0
    } else {
        got as f64 * 100.0 / max as f64
    })
}

/// The standard steps of a certification from the curriculum: its courses in order, then
/// the exam at `exam_pass_mark`, `sessions` sessions (when non-zero), and the capstone.
pub fn standard_steps(
    courses: &[String],
    exam_pass_mark: u8,
    sessions: u32,
    capstone_pass: u8,
) -> Vec<Step> {
    let mut steps: Vec<Step> = courses
        .iter()
        .map(|c| Step {
            any_of: vec![Condition::Course { slug: c.clone() }],
        })
        .collect();
    steps.push(Step {
        any_of: vec![Condition::Exam {
            min_percent: exam_pass_mark,
        }],
    });
    if sessions > 0 {
        steps.push(Step {
            any_of: vec![Condition::Sessions { count: sessions }],
        });
    }
    steps.push(Step {
        any_of: vec![Condition::Capstone {
            min_percent: capstone_pass,
        }],
    });
    steps
}

/// The exam's pass mark: the lowest `min_percent` among the programme's exam conditions (an
/// exam that meets any alternative counts), or none when no step asks for an exam.
pub fn exam_pass_mark(steps: &[Step]) -> Option<u8> {
    steps
        .iter()
        .flat_map(|s| s.any_of.iter())
        .filter_map(|c| match c {
            Condition::Exam { min_percent } => Some(*min_percent),
            _ => None,
        })
        .min()
}

/// A closed exam attempt as the attempt rules see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClosedAttempt {
    /// Passed.
    pub passed: bool,
    /// When it closed (Unix seconds).
    pub at: i64,
}

/// Why a new exam attempt cannot start now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExamBlock {
    /// The exam is already passed.
    Passed,
    /// Every allowed attempt is used.
    NoAttemptsLeft {
        /// Attempts allowed.
        max: i64,
    },
    /// Wait after a failed attempt until this time (Unix seconds).
    CoolingDown {
        /// When the next attempt may start.
        until: i64,
    },
}

/// Whether a new attempt may start at `now` given the closed attempts (any order), the attempt
/// limit and the cool-down in hours after a failed attempt.
pub fn exam_block(
    closed: &[ClosedAttempt],
    max_attempts: Option<i64>,
    cooldown_hours: Option<i64>,
    now: i64,
) -> Option<ExamBlock> {
    if closed.iter().any(|a| a.passed) {
        return Some(ExamBlock::Passed);
    }
    if let Some(max) = max_attempts.filter(|m| closed.len() as i64 >= *m) {
        return Some(ExamBlock::NoAttemptsLeft { max });
    }
    let last = closed.iter().map(|a| a.at).max()?;
    let until = last + cooldown_hours? * 3600;
    (now < until).then_some(ExamBlock::CoolingDown { until })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(s: &str) -> Condition {
        Condition::Course { slug: s.into() }
    }

    #[test]
    fn steps_with_alternatives_and_order_are_judged_by_hand() {
        // Step 1: foundations OR the recognised prior course "legacy-101".
        // Step 2: exam ≥ 70 %. Step 3: 2 sessions. Step 4: capstone ≥ 60 %.
        let steps = vec![
            Step {
                any_of: vec![course("foundations"), course("legacy-101")],
            },
            Step {
                any_of: vec![Condition::Exam { min_percent: 70 }],
            },
            Step {
                any_of: vec![Condition::Sessions { count: 2 }],
            },
            Step {
                any_of: vec![Condition::Capstone { min_percent: 60 }],
            },
        ];
        let mut f = Facts::default();
        let p = evaluate(&steps, &f);
        assert_eq!(p.met, vec![false, false, false, false]);
        assert_eq!(p.next(), Some(0));

        // The prior equivalent alone meets step 1; 69.9 % misses the exam by a hair.
        f.completed_courses.insert("legacy-101".into());
        f.best_exam_percent = Some(69.9);
        f.sessions_attended = 2;
        let p = evaluate(&steps, &f);
        assert_eq!(p.met, vec![true, false, true, false]);
        assert_eq!(p.next(), Some(1));
        assert_eq!(p.done(), 2);

        // 70 % exactly passes; a 60 % capstone exactly passes: everything met.
        f.best_exam_percent = Some(70.0);
        f.capstone_percent = Some(60.0);
        let p = evaluate(&steps, &f);
        assert!(p.complete());
        assert_eq!(p.next(), None);
    }

    #[test]
    fn rubric_percentage_is_levels_over_maxima() {
        // Five criteria of 4 levels (0..=3): max 15. Levels 3,2,2,1,3 = 11 → 73.33 %.
        let r = default_rubric();
        let pct = rubric_percent(&r, &[3, 2, 2, 1, 3]).unwrap();
        assert!((pct - 73.333).abs() < 0.01, "{pct}");
        let e = rubric_percent(&r, &[3, 2, 4, 1, 3]).unwrap_err();
        assert_eq!((e.index, e.level, e.max), (2, 4, 3));
        assert!(
            rubric_percent(&r, &[3, 2]).is_err(),
            "unscored criteria are refused"
        );
        assert!(rubric_percent(&r, &[0, 0, 0, 0, -1]).is_err());
    }

    #[test]
    fn requirement_documents_name_the_bad_place() {
        let ok = parse_requirements(r#"[{"any_of":[{"kind":"course","slug":"a"}]}]"#).unwrap();
        assert_eq!(ok.len(), 1);
        let e =
            parse_requirements(r#"[{"any_of":[{"kind":"exam","min_percent":120}]}]"#).unwrap_err();
        assert_eq!(e.path, "[0].any_of[0].min_percent");
        let e = parse_requirements(r#"[{"any_of":[]}]"#).unwrap_err();
        assert_eq!(e.path, "[0].any_of");
        let e = parse_requirements(r#"[{"any_of":[{"kind":"juggling"}]}]"#).unwrap_err();
        assert!(e.path.starts_with("[0].any_of[0]"), "{}", e.path);
        assert!(parse_requirements("[]").is_err());
    }

    #[test]
    fn standard_steps_follow_the_curriculum_order() {
        let s = standard_steps(&["a".into(), "b".into()], 70, 2, 60);
        assert_eq!(s.len(), 5);
        assert_eq!(s[0].any_of, vec![course("a")]);
        assert_eq!(s[2].any_of, vec![Condition::Exam { min_percent: 70 }]);
        assert_eq!(s[4].any_of, vec![Condition::Capstone { min_percent: 60 }]);
    }

    #[test]
    fn exam_attempt_rules() {
        let failed = |at| ClosedAttempt { passed: false, at };
        // No attempts yet: free to start, whatever the rules.
        assert_eq!(exam_block(&[], Some(1), Some(24), 0), None);
        // One failed at t=1000 with a 24 h cool-down: blocked until 1000 + 86400.
        assert_eq!(
            exam_block(&[failed(1000)], Some(3), Some(24), 2000),
            Some(ExamBlock::CoolingDown { until: 87_400 })
        );
        assert_eq!(exam_block(&[failed(1000)], Some(3), Some(24), 87_400), None);
        // No cool-down: only the limit counts; the third failure uses up three attempts.
        assert_eq!(exam_block(&[failed(1), failed(2)], Some(3), None, 3), None);
        assert_eq!(
            exam_block(&[failed(1), failed(2), failed(3)], Some(3), None, 4),
            Some(ExamBlock::NoAttemptsLeft { max: 3 })
        );
        // A pass ends the exam.
        let passed = ClosedAttempt {
            passed: true,
            at: 5,
        };
        assert_eq!(
            exam_block(&[failed(1), passed], None, None, 6),
            Some(ExamBlock::Passed)
        );
    }

    #[test]
    fn exam_pass_mark_is_the_lowest_exam_alternative() {
        let steps: Vec<Step> = serde_json::from_str(
            r#"[{"any_of":[{"kind":"course","slug":"a"}]},
                {"any_of":[{"kind":"exam","min_percent":80},{"kind":"exam","min_percent":75}]}]"#,
        )
        .unwrap();
        assert_eq!(exam_pass_mark(&steps), Some(75));
        assert_eq!(exam_pass_mark(&steps[..1]), None);
    }
}
