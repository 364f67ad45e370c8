//! Post-training surveys: question types, the shipped templates, when each wave is due, checking
//! a person's answers, and the anonymous aggregates (with the minimum group size rule).
//! Pure: the store keeps sends and responses, the web layer words everything through Fluent.

use crate::error::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Seconds in a week.
pub const WEEK: i64 = 7 * 86_400;

/// The waves a survey is sent in: weeks after completion.
pub const WAVES: [u8; 3] = [0, 6, 12];

/// The default minimum number of responses before anything is shown.
pub const DEFAULT_MIN_GROUP: i64 = 5;
/// The default number of days before an unanswered survey is reminded about.
pub const DEFAULT_REMIND_DAYS: i64 = 7;
/// The default number of days a survey stays open.
pub const DEFAULT_OPEN_DAYS: i64 = 28;

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    /// 1 (not at all) … 5 (extremely).
    Rating,
    /// 0 … 10, "how likely are you to recommend".
    Nps,
    /// 1 (strongly disagree) … 5 (strongly agree).
    Likert,
    /// Free text.
    Text,
}

impl QuestionKind {
    /// Every kind, in the order forms offer them.
    pub const ALL: [QuestionKind; 4] = [
        QuestionKind::Rating,
        QuestionKind::Nps,
        QuestionKind::Likert,
        QuestionKind::Text,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            QuestionKind::Rating => "rating",
            QuestionKind::Nps => "nps",
            QuestionKind::Likert => "likert",
            QuestionKind::Text => "text",
        }
    }

    /// From its code.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    /// The allowed numbers, for scale questions.
    pub fn scale(self) -> Option<(u8, u8)> {
        match self {
            QuestionKind::Rating | QuestionKind::Likert => Some((1, 5)),
            QuestionKind::Nps => Some((0, 10)),
            QuestionKind::Text => None,
        }
    }
}

/// Longest question or answer text accepted.
pub const MAX_TEXT: usize = 4000;
/// Most questions in one survey.
pub const MAX_QUESTIONS: usize = 30;

/// One question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// The question as asked.
    pub text: String,
    /// How it is answered.
    pub kind: QuestionKind,
    /// Must be answered.
    pub required: bool,
}

/// A survey's title and questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyForm {
    /// Title.
    pub title: String,
    /// Questions, in order.
    pub questions: Vec<Question>,
}

/// A shipped template: its code and its questions as Fluent message ids
/// (`surveys-tpl-<code>-title`, `surveys-tpl-<code>-q<n>`).
#[derive(Debug, Clone, Copy)]
pub struct Shipped {
    /// `reaction`, `confidence` or `behaviour`.
    pub code: &'static str,
    /// Kind and required flag of each question, in order.
    pub questions: &'static [(QuestionKind, bool)],
}

use QuestionKind as K;

/// The templates Somu ships.
pub const SHIPPED: [Shipped; 3] = [
    Shipped {
        code: "reaction",
        questions: &[
            (K::Rating, true),
            (K::Rating, true),
            (K::Nps, true),
            (K::Text, false),
        ],
    },
    Shipped {
        code: "confidence",
        questions: &[
            (K::Likert, true),
            (K::Likert, true),
            (K::Likert, true),
            (K::Likert, true),
            (K::Text, false),
        ],
    },
    Shipped {
        code: "behaviour",
        questions: &[
            (K::Text, true),
            (K::Rating, true),
            (K::Likert, true),
            (K::Text, false),
        ],
    },
];

/// A shipped template by code.
pub fn shipped(code: &str) -> Option<Shipped> {
    SHIPPED.into_iter().find(|s| s.code == code)
}

/// What a track or course is surveyed with at each wave when its owner has not said: a track gets
/// reaction at completion, confidence at +6 weeks and intended behaviour at +12; a course gets
/// reaction at completion only (so finishing a track's courses does not bury the learner).
pub fn default_template(object_kind: &str, wave: u8) -> Option<&'static str> {
    match (object_kind, wave) {
        (_, 0) => Some("reaction"),
        ("track", 6) => Some("confidence"),
        ("track", 12) => Some("behaviour"),
        _ => None,
    }
}

/// When a wave is due for a completion at `completed_at`.
pub fn wave_due(completed_at: i64, wave: u8) -> i64 {
    completed_at + i64::from(wave) * WEEK
}

/// Whether a wave should go out at `now`: it is due and its answering window has not passed
/// (so importing old completions does not send surveys nobody could still answer usefully).
pub fn should_send(completed_at: i64, wave: u8, open_days: i64, now: i64) -> bool {
    let due = wave_due(completed_at, wave);
    due <= now && now < due + open_days * 86_400
}

/// Check a survey's title and questions as an owner edits them.
pub fn check_form(form: &SurveyForm) -> Result<(), FieldErrors> {
    let mut errs = Vec::new();
    if form.title.trim().is_empty() {
        errs.push(FieldError::new(
            "title",
            "required",
            "Give the survey a title.",
        ));
    } else if form.title.len() > 200 {
        errs.push(FieldError::new(
            "title",
            "too-long",
            "The title is longer than 200 characters.",
        ));
    }
    if form.questions.is_empty() {
        errs.push(FieldError::new(
            "questions",
            "required",
            "A survey needs at least one question.",
        ));
    }
    if form.questions.len() > MAX_QUESTIONS {
        errs.push(FieldError::new(
            "questions",
            "too-many",
            format!("A survey has at most {MAX_QUESTIONS} questions."),
        ));
    }
    for (i, q) in form.questions.iter().enumerate() {
        if q.text.len() > MAX_TEXT {
            errs.push(FieldError::new(
                format!("q{}-text", i + 1),
                "too-long",
                format!("Question {} is longer than {MAX_TEXT} characters.", i + 1),
            ));
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(FieldErrors(errs))
    }
}

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    /// A number on the question's scale.
    Score(u8),
    /// Free text.
    Text(String),
}

/// Check a person's raw answers (`q1`, `q2`, … as typed) against the questions. Every problem is
/// named by its field; an unanswered optional question is `None`.
pub fn check_answers(
    questions: &[Question],
    raw: &BTreeMap<String, String>,
) -> Result<Vec<Option<Answer>>, FieldErrors> {
    let mut out = Vec::with_capacity(questions.len());
    let mut errs = Vec::new();
    for (i, q) in questions.iter().enumerate() {
        let field = format!("q{}", i + 1);
        let value = raw.get(&field).map(|s| s.trim()).unwrap_or("");
        if value.is_empty() {
            if q.required {
                errs.push(FieldError::new(
                    &field,
                    "required",
                    format!("Question {} needs an answer.", i + 1),
                ));
            }
            out.push(None);
            continue;
        }
        match q.kind.scale() {
            Some((lo, hi)) => match value.parse::<u8>() {
                Ok(n) if (lo..=hi).contains(&n) => out.push(Some(Answer::Score(n))),
                _ => {
                    errs.push(FieldError::new(
                        &field,
                        "out-of-range",
                        format!("Question {} takes a whole number from {lo} to {hi}.", i + 1),
                    ));
                    out.push(None);
                }
            },
            None if value.len() > MAX_TEXT => {
                errs.push(FieldError::new(
                    &field,
                    "too-long",
                    format!(
                        "The answer to question {} is longer than {MAX_TEXT} characters.",
                        i + 1
                    ),
                ));
                out.push(None);
            }
            None => out.push(Some(Answer::Text(value.to_string()))),
        }
    }
    if let Some(extra) = raw.keys().find(|k| {
        k.strip_prefix('q')
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| n == 0 || n > questions.len())
    }) {
        errs.push(FieldError::new(
            extra,
            "unknown",
            "This survey has no such question.",
        ));
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(FieldErrors(errs))
    }
}

/// Net Promoter Score from 0–10 scores: % promoters (9–10) − % detractors (0–6), or `None`
/// with no scores.
pub fn nps(scores: &[u8]) -> Option<f64> {
    if scores.is_empty() {
        return None;
    }
    let n = scores.len() as f64;
    let promoters = scores.iter().filter(|s| **s >= 9).count() as f64;
    let detractors = scores.iter().filter(|s| **s <= 6).count() as f64;
    Some((promoters - detractors) / n * 100.0)
}

/// The aggregate of one question over a group of responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    /// The question.
    pub question: Question,
    /// How many answered it.
    pub answered: usize,
    /// Mean score (scale questions).
    pub mean: Option<f64>,
    /// NPS (NPS questions).
    pub nps: Option<f64>,
    /// How many gave each score, lowest first (scale questions).
    pub distribution: Vec<(u8, usize)>,
    /// The comments, in a shuffled order (text questions).
    pub comments: Vec<String>,
}

/// Aggregate responses to the same questions. Comments are shuffled with `seed` so their order
/// says nothing about who wrote them or when.
pub fn aggregate(
    questions: &[Question],
    responses: &[Vec<Option<Answer>>],
    seed: u64,
) -> Vec<QuestionResult> {
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let answers: Vec<&Answer> = responses
                .iter()
                .filter_map(|r| r.get(i).and_then(|a| a.as_ref()))
                .collect();
            let scores: Vec<u8> = answers
                .iter()
                .filter_map(|a| match a {
                    Answer::Score(s) => Some(*s),
                    Answer::Text(_) => None,
                })
                .collect();
            let mut comments: Vec<String> = answers
                .iter()
                .filter_map(|a| match a {
                    Answer::Text(t) => Some(t.clone()),
                    Answer::Score(_) => None,
                })
                .collect();
            shuffle(&mut comments, seed ^ i as u64);
            let distribution = q
                .kind
                .scale()
                .map(|(lo, hi)| {
                    (lo..=hi)
                        .map(|v| (v, scores.iter().filter(|s| **s == v).count()))
                        .collect()
                })
                .unwrap_or_default();
            let mean = (!scores.is_empty() && q.kind.scale().is_some())
                .then(|| scores.iter().map(|s| f64::from(*s)).sum::<f64>() / scores.len() as f64);
            QuestionResult {
                question: q.clone(),
                answered: answers.len(),
                mean,
                nps: if q.kind == QuestionKind::Nps {
                    nps(&scores)
                } else {
                    None
                },
                distribution,
                comments,
            }
        })
        .collect()
}

/// Whether a group of `n` responses may be shown.
pub fn shown(n: usize, min_group: i64) -> bool {
    n as i64 >= min_group.max(1)
}

/// Fisher–Yates with a small deterministic generator (splitmix64).
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for i in (1..items.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(kind: QuestionKind, required: bool) -> Question {
        Question {
            text: "How?".into(),
            kind,
            required,
        }
    }

    fn raw(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn answers_are_checked_and_each_problem_named() {
        let qs = [q(K::Rating, true), q(K::Nps, true), q(K::Text, false)];
        let ok = check_answers(&qs, &raw(&[("q1", "4"), ("q2", "10"), ("q3", " Good ")]))
            .expect("valid");
        assert_eq!(
            ok,
            vec![
                Some(Answer::Score(4)),
                Some(Answer::Score(10)),
                Some(Answer::Text("Good".into()))
            ]
        );
        let err = check_answers(&qs, &raw(&[("q1", "6"), ("q3", "")])).expect_err("bad");
        let fields: Vec<(&str, &str)> = err.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(fields, vec![("q1", "out-of-range"), ("q2", "required")]);
        let err =
            check_answers(&qs, &raw(&[("q1", "x"), ("q2", "-1"), ("q9", "1")])).expect_err("bad");
        assert_eq!(err.0.len(), 3);
        assert_eq!(err.0[2].field, "q9");
    }

    #[test]
    fn nps_is_promoters_minus_detractors() {
        // 2 promoters (9, 10), 1 passive (8), 1 detractor (6) of 4: (2 − 1) / 4 = 25.
        assert_eq!(nps(&[9, 10, 8, 6]), Some(25.0));
        assert_eq!(nps(&[]), None);
        assert_eq!(nps(&[0, 0]), Some(-100.0));
    }

    #[test]
    fn aggregates_means_distributions_and_keeps_every_comment() {
        let qs = [q(K::Rating, true), q(K::Text, false)];
        let rs = vec![
            vec![Some(Answer::Score(5)), Some(Answer::Text("a".into()))],
            vec![Some(Answer::Score(3)), None],
            vec![Some(Answer::Score(4)), Some(Answer::Text("b".into()))],
        ];
        let out = aggregate(&qs, &rs, 7);
        // (5 + 3 + 4) / 3 = 4.
        assert_eq!(out[0].mean, Some(4.0));
        assert_eq!(
            out[0].distribution,
            vec![(1, 0), (2, 0), (3, 1), (4, 1), (5, 1)]
        );
        let mut c = out[1].comments.clone();
        c.sort();
        assert_eq!(c, vec!["a", "b"]);
        assert_eq!(out[1].answered, 2);
        assert_eq!(out[1].mean, None);
    }

    #[test]
    fn waves_and_the_group_rule() {
        assert!(should_send(0, 0, 28, 10));
        assert!(!should_send(0, 6, 28, 5 * WEEK));
        assert!(should_send(0, 6, 28, 6 * WEEK + 1));
        assert!(!should_send(0, 6, 28, 10 * WEEK), "window passed");
        assert_eq!(default_template("track", 12), Some("behaviour"));
        assert_eq!(default_template("course", 6), None);
        assert!(!shown(4, 5) && shown(5, 5) && shown(1, 0));
        assert!(SHIPPED.iter().all(|s| !s.questions.is_empty()));
    }

    #[test]
    fn forms_need_a_title_and_questions() {
        let err = check_form(&SurveyForm {
            title: " ".into(),
            questions: vec![],
        })
        .expect_err("bad");
        assert_eq!(err.0.len(), 2);
    }
}
