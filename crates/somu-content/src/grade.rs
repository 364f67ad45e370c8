//! Grading: a question and a learner's response give a score and feedback.
//!
//! Pure and synchronous, shared by module quizzes, track pre/post-tests and
//! certification exams. Options are addressed by their index in
//! [`Question::options`] (the order in the package); a page that shows
//! options shuffled maps them back before grading (see [`shuffled`]).
//!
//! Scoring is all or nothing per question: a multiple-choice answer must be
//! exactly the correct set, an ordering exactly the package order. Short-text
//! answers cannot be graded here: they come back [`Verdict::Pending`] and an
//! instructor grades them later with [`instructor_grade`].
//!
//! ```
//! use somu_content::grade::{grade, Response, Verdict};
//! # use somu_content::{Question, QuestionKind, QuizOption};
//! # let opt = |t: &str, c: bool| QuizOption { text: t.into(), correct: c, explanation: format!("{t} because") };
//! let q = Question { id: "q".into(), kind: QuestionKind::Single, prompt: "?".into(),
//!     options: vec![opt("a", false), opt("b", true)], rubric: None };
//! let g = grade(&q, &Response::Choices(vec![1])).unwrap();
//! assert_eq!(g.verdict, Verdict::Correct);
//! assert_eq!(g.score, 1.0);
//! ```

use std::collections::BTreeSet;
use std::fmt;

use crate::{Question, QuestionKind};

/// What a learner answered to one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// Indices of the chosen options (single, multiple, true/false).
    Choices(Vec<usize>),
    /// Every option index once, in the order the learner put them (ordering).
    Order(Vec<usize>),
    /// Free text (short text).
    Text(String),
}

impl Response {
    /// The response as recorded (in statements and attempts): option indices joined by `[,]`
    /// as xAPI interactions do, or the text itself.
    pub fn encode(&self) -> String {
        match self {
            Response::Choices(v) | Response::Order(v) => v
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join("[,]"),
            Response::Text(t) => t.clone(),
        }
    }

    /// Reads back a recorded response for a question of this kind (unreadable indices are
    /// dropped, so grading then reports what is missing).
    pub fn decode(kind: QuestionKind, recorded: &str) -> Response {
        let nums = || {
            recorded
                .split("[,]")
                .filter_map(|x| x.parse().ok())
                .collect()
        };
        match kind {
            QuestionKind::ShortText => Response::Text(recorded.to_string()),
            QuestionKind::Ordering => Response::Order(nums()),
            _ => Response::Choices(nums()),
        }
    }
}

/// Whether an answer is right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Fully right: score 1.
    Correct,
    /// Wrong: score 0.
    Incorrect,
    /// Waiting for an instructor (short text): score 0 until graded.
    Pending,
}

impl Verdict {
    /// `Some(true|false)` once known, `None` while pending.
    pub fn success(self) -> Option<bool> {
        match self {
            Verdict::Correct => Some(true),
            Verdict::Incorrect => Some(false),
            Verdict::Pending => None,
        }
    }

    /// `correct`, `incorrect` or `pending`.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Correct => "correct",
            Verdict::Incorrect => "incorrect",
            Verdict::Pending => "pending",
        }
    }

    /// The verdict for its code (unknown codes read as pending).
    pub fn from_code(code: &str) -> Verdict {
        match code {
            "correct" => Verdict::Correct,
            "incorrect" => Verdict::Incorrect,
            _ => Verdict::Pending,
        }
    }
}

/// Feedback on one option: the package's explanation of why it is right or
/// wrong, and how it relates to the learner's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionFeedback {
    /// Index of the option in the package.
    pub option: usize,
    /// The option text.
    pub text: String,
    /// Whether the learner chose it (choice questions) or put it in the
    /// right place (ordering).
    pub chosen: bool,
    /// Whether it is a correct option (choice) or in place (ordering).
    pub correct: bool,
    /// Why, from the package.
    pub explanation: String,
}

/// The result of grading one response.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    /// Right, wrong or waiting for an instructor.
    pub verdict: Verdict,
    /// Points earned, 0.0 or 1.0 (short text: 0.0 until graded).
    pub score: f64,
    /// Explanations worth showing: for choice questions every option the
    /// learner chose and every correct option they missed; for ordering
    /// every option in its correct place; empty for short text.
    pub feedback: Vec<OptionFeedback>,
    /// For short text: what the instructor looks for.
    pub rubric: Option<String>,
}

/// A response that does not fit the question. Names the question id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseError {
    /// The question's id.
    pub question: String,
    /// What is wrong.
    pub problem: ResponseProblem,
}

/// What is wrong with a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseProblem {
    /// Nothing chosen, or empty text.
    Empty,
    /// The response has the wrong shape for the question kind.
    WrongShape(QuestionKind),
    /// An option index that the question does not have.
    NoSuchOption(usize),
    /// The same option twice.
    Repeated(usize),
    /// A single-answer question with more than one option chosen.
    TooMany,
    /// An ordering that does not list every option exactly once.
    IncompleteOrder,
    /// Free text longer than [`MAX_TEXT_CHARS`].
    TooLong,
}

/// Longest short-text answer accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 5000;

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let q = &self.question;
        match &self.problem {
            ResponseProblem::Empty => write!(f, "question `{q}`: no answer given"),
            ResponseProblem::WrongShape(k) => {
                write!(
                    f,
                    "question `{q}`: this kind of answer does not fit a {k} question"
                )
            }
            ResponseProblem::NoSuchOption(i) => write!(f, "question `{q}`: there is no option {i}"),
            ResponseProblem::Repeated(i) => write!(f, "question `{q}`: option {i} given twice"),
            ResponseProblem::TooMany => write!(f, "question `{q}`: choose only one option"),
            ResponseProblem::IncompleteOrder => {
                write!(f, "question `{q}`: put every option in order exactly once")
            }
            ResponseProblem::TooLong => {
                write!(
                    f,
                    "question `{q}`: answer longer than {MAX_TEXT_CHARS} characters"
                )
            }
        }
    }
}

impl std::error::Error for ResponseError {}

/// Grades one response to one question.
pub fn grade(question: &Question, response: &Response) -> Result<Graded, ResponseError> {
    let fail = |problem| ResponseError {
        question: question.id.clone(),
        problem,
    };
    match (question.kind, response) {
        (QuestionKind::Single | QuestionKind::TrueFalse, Response::Choices(chosen)) => {
            let set = choice_set(question, chosen).map_err(fail)?;
            if set.len() > 1 {
                return Err(fail(ResponseProblem::TooMany));
            }
            Ok(grade_choices(question, &set))
        }
        (QuestionKind::Multiple, Response::Choices(chosen)) => {
            let set = choice_set(question, chosen).map_err(fail)?;
            Ok(grade_choices(question, &set))
        }
        (QuestionKind::Ordering, Response::Order(order)) => {
            let n = question.options.len();
            let set = choice_set(question, order).map_err(fail)?;
            if set.len() != n {
                return Err(fail(ResponseProblem::IncompleteOrder));
            }
            let feedback: Vec<OptionFeedback> = question
                .options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let in_place = order.get(i) == Some(&i);
                    OptionFeedback {
                        option: i,
                        text: o.text.clone(),
                        chosen: in_place,
                        correct: in_place,
                        explanation: o.explanation.clone(),
                    }
                })
                .collect();
            let right = feedback.iter().all(|f| f.correct);
            Ok(graded(right, feedback, None))
        }
        (QuestionKind::ShortText, Response::Text(text)) => {
            if text.trim().is_empty() {
                return Err(fail(ResponseProblem::Empty));
            }
            if text.chars().count() > MAX_TEXT_CHARS {
                return Err(fail(ResponseProblem::TooLong));
            }
            Ok(Graded {
                verdict: Verdict::Pending,
                score: 0.0,
                feedback: Vec::new(),
                rubric: question.rubric.clone(),
            })
        }
        (kind, _) => Err(fail(ResponseProblem::WrongShape(kind))),
    }
}

/// An instructor's grade of a short-text answer: right or wrong, with the
/// rubric kept for display.
pub fn instructor_grade(question: &Question, right: bool) -> Graded {
    graded(right, Vec::new(), question.rubric.clone())
}

fn graded(right: bool, feedback: Vec<OptionFeedback>, rubric: Option<String>) -> Graded {
    Graded {
        verdict: if right {
            Verdict::Correct
        } else {
            Verdict::Incorrect
        },
        score: if right { 1.0 } else { 0.0 },
        feedback,
        rubric,
    }
}

/// The chosen indices as a set, refusing empty, repeated and unknown ones.
fn choice_set(question: &Question, chosen: &[usize]) -> Result<BTreeSet<usize>, ResponseProblem> {
    if chosen.is_empty() {
        return Err(ResponseProblem::Empty);
    }
    let mut set = BTreeSet::new();
    for &i in chosen {
        if i >= question.options.len() {
            return Err(ResponseProblem::NoSuchOption(i));
        }
        if !set.insert(i) {
            return Err(ResponseProblem::Repeated(i));
        }
    }
    Ok(set)
}

fn grade_choices(question: &Question, chosen: &BTreeSet<usize>) -> Graded {
    let mut right = true;
    let mut feedback = Vec::new();
    for (i, o) in question.options.iter().enumerate() {
        let picked = chosen.contains(&i);
        if picked != o.correct {
            right = false;
        }
        if picked || o.correct {
            feedback.push(OptionFeedback {
                option: i,
                text: o.text.clone(),
                chosen: picked,
                correct: o.correct,
                explanation: o.explanation.clone(),
            });
        }
    }
    graded(right, feedback, None)
}

/// The outcome of a whole quiz, test or exam.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// Points earned (one per correct answer).
    pub points: f64,
    /// Points available (one per question).
    pub max: f64,
    /// `points / max`, 0.0–1.0 (0.0 for an empty quiz).
    pub scaled: f64,
    /// Answers still waiting for an instructor.
    pub pending: usize,
    /// `Some(passed)` once every answer is graded, `None` while any is
    /// pending.
    pub passed: Option<bool>,
}

impl Scored {
    /// `pending`, `passed` or `failed`.
    pub fn status(&self) -> &'static str {
        match self.passed {
            None => "pending",
            Some(true) => "passed",
            Some(false) => "failed",
        }
    }
}

/// Totals graded answers against a pass mark in percent. `max` is the
/// number of questions (an unanswered question counts as wrong).
pub fn score(answers: &[Graded], questions: usize, pass_mark: u8) -> Scored {
    let points: f64 = answers.iter().map(|g| g.score).sum();
    let max = questions as f64;
    let scaled = if questions == 0 { 0.0 } else { points / max };
    let pending = answers
        .iter()
        .filter(|g| g.verdict == Verdict::Pending)
        .count();
    // Compare in whole points to avoid rounding surprises: passed when
    // points * 100 >= pass_mark * questions.
    let passed = (pending == 0).then(|| points * 100.0 >= f64::from(pass_mark) * max);
    Scored {
        points,
        max,
        scaled,
        pending,
        passed,
    }
}

/// A deterministic permutation of `0..n` from a seed (for showing ordering
/// options and test items shuffled, the same way each time for one
/// learner and attempt). Never the identity when `n >= 2`, so an ordering
/// question never shows its answer.
pub fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = seed ^ 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        // xorshift64*: small, good enough for display order.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    for i in (1..n).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    if n >= 2 && order.iter().enumerate().all(|(i, &v)| i == v) {
        order.rotate_left(1);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::QuizOption;

    fn opt(text: &str, correct: bool) -> QuizOption {
        QuizOption {
            text: text.into(),
            correct,
            explanation: format!("why {text}"),
        }
    }

    fn q(kind: QuestionKind, options: Vec<QuizOption>) -> Question {
        Question {
            id: "q1".into(),
            kind,
            prompt: "Prompt".into(),
            options,
            rubric: (kind == QuestionKind::ShortText).then(|| "Names the owner".into()),
        }
    }

    fn single() -> Question {
        q(
            QuestionKind::Single,
            vec![opt("a", false), opt("b", true), opt("c", false)],
        )
    }

    #[test]
    fn single_right_answer_scores_one_with_its_explanation() {
        let g = grade(&single(), &Response::Choices(vec![1])).unwrap();
        assert_eq!(g.verdict, Verdict::Correct);
        assert_eq!(g.score, 1.0);
        assert_eq!(g.feedback.len(), 1);
        assert_eq!(g.feedback[0].explanation, "why b");
        assert!(g.feedback[0].chosen && g.feedback[0].correct);
    }

    #[test]
    fn single_wrong_answer_explains_the_choice_and_the_right_one() {
        let g = grade(&single(), &Response::Choices(vec![2])).unwrap();
        assert_eq!(g.verdict, Verdict::Incorrect);
        assert_eq!(g.score, 0.0);
        // Chosen "c" (wrong) and missed "b" (right), in package order.
        let seen: Vec<(usize, bool, bool)> = g
            .feedback
            .iter()
            .map(|f| (f.option, f.chosen, f.correct))
            .collect();
        assert_eq!(seen, vec![(1, false, true), (2, true, false)]);
    }

    #[test]
    fn single_refuses_two_choices_unknown_repeated_and_empty() {
        let problem = |r: Response| grade(&single(), &r).unwrap_err().problem;
        assert_eq!(
            problem(Response::Choices(vec![0, 1])),
            ResponseProblem::TooMany
        );
        assert_eq!(
            problem(Response::Choices(vec![3])),
            ResponseProblem::NoSuchOption(3)
        );
        assert_eq!(
            problem(Response::Choices(vec![1, 1])),
            ResponseProblem::Repeated(1)
        );
        assert_eq!(problem(Response::Choices(vec![])), ResponseProblem::Empty);
        assert_eq!(
            problem(Response::Text("b".into())),
            ResponseProblem::WrongShape(QuestionKind::Single)
        );
    }

    #[test]
    fn multiple_needs_exactly_the_correct_set() {
        let m = q(
            QuestionKind::Multiple,
            vec![opt("a", true), opt("b", false), opt("c", true)],
        );
        let g = |c: Vec<usize>| grade(&m, &Response::Choices(c)).unwrap().verdict;
        assert_eq!(g(vec![2, 0]), Verdict::Correct);
        assert_eq!(g(vec![0]), Verdict::Incorrect, "a missing correct option");
        assert_eq!(
            g(vec![0, 1, 2]),
            Verdict::Incorrect,
            "an extra wrong option"
        );
    }

    #[test]
    fn true_false_is_graded_like_single() {
        let tf = q(
            QuestionKind::TrueFalse,
            vec![opt("True", false), opt("False", true)],
        );
        assert_eq!(
            grade(&tf, &Response::Choices(vec![1])).unwrap().verdict,
            Verdict::Correct
        );
        assert_eq!(
            grade(&tf, &Response::Choices(vec![0])).unwrap().verdict,
            Verdict::Incorrect
        );
    }

    #[test]
    fn ordering_is_right_only_in_package_order_and_marks_places() {
        let o = q(
            QuestionKind::Ordering,
            vec![opt("1st", false), opt("2nd", false), opt("3rd", false)],
        );
        let right = grade(&o, &Response::Order(vec![0, 1, 2])).unwrap();
        assert_eq!(right.verdict, Verdict::Correct);
        assert_eq!(right.feedback.len(), 3);
        // 0 and 2 swapped: only "2nd" is in its place.
        let wrong = grade(&o, &Response::Order(vec![2, 1, 0])).unwrap();
        assert_eq!(wrong.verdict, Verdict::Incorrect);
        let in_place: Vec<bool> = wrong.feedback.iter().map(|f| f.correct).collect();
        assert_eq!(in_place, vec![false, true, false]);
        assert_eq!(
            grade(&o, &Response::Order(vec![0, 1])).unwrap_err().problem,
            ResponseProblem::IncompleteOrder
        );
    }

    #[test]
    fn short_text_waits_for_an_instructor() {
        let s = q(QuestionKind::ShortText, vec![]);
        let g = grade(&s, &Response::Text("The duty manager".into())).unwrap();
        assert_eq!(g.verdict, Verdict::Pending);
        assert_eq!(g.verdict.success(), None);
        assert_eq!(g.rubric.as_deref(), Some("Names the owner"));
        assert_eq!(
            grade(&s, &Response::Text("  ".into())).unwrap_err().problem,
            ResponseProblem::Empty
        );
        let long = "x".repeat(MAX_TEXT_CHARS + 1);
        assert_eq!(
            grade(&s, &Response::Text(long)).unwrap_err().problem,
            ResponseProblem::TooLong
        );
        assert_eq!(instructor_grade(&s, true).score, 1.0);
    }

    #[test]
    fn quiz_score_against_pass_mark() {
        let right = instructor_grade(&single(), true);
        let wrong = instructor_grade(&single(), false);
        // 3 of 4 right = 75 %: passes a 75 % mark exactly, fails 76 %.
        let answers = vec![right.clone(), right.clone(), right.clone(), wrong.clone()];
        let s = score(&answers, 4, 75);
        assert_eq!((s.points, s.max, s.scaled), (3.0, 4.0, 0.75));
        assert_eq!(s.passed, Some(true));
        assert_eq!(score(&answers, 4, 76).passed, Some(false));
        // An unanswered question counts as wrong: 3 of 5 = 60 %.
        assert_eq!(score(&answers, 5, 75).passed, Some(false));
        // A pending answer leaves the verdict open.
        let pending = grade(
            &q(QuestionKind::ShortText, vec![]),
            &Response::Text("x".into()),
        )
        .unwrap();
        let s = score(&[right, pending], 2, 50);
        assert_eq!((s.pending, s.passed), (1, None));
        assert_eq!(score(&[], 0, 50).scaled, 0.0);
    }

    #[test]
    fn responses_and_verdicts_round_trip_through_their_recorded_form() {
        for r in [
            Response::Choices(vec![0, 2]),
            Response::Order(vec![2, 0, 1]),
            Response::Text("a[,]b".into()),
        ] {
            let kind = match r {
                Response::Choices(_) => QuestionKind::Multiple,
                Response::Order(_) => QuestionKind::Ordering,
                Response::Text(_) => QuestionKind::ShortText,
            };
            assert_eq!(Response::decode(kind, &r.encode()), r);
        }
        assert_eq!(Response::Choices(vec![0, 2]).encode(), "0[,]2");
        for v in [Verdict::Correct, Verdict::Incorrect, Verdict::Pending] {
            assert_eq!(Verdict::from_code(v.code()), v);
        }
        let s = score(&[instructor_grade(&single(), true)], 1, 50);
        assert_eq!(s.status(), "passed");
    }

    #[test]
    fn shuffled_is_a_deterministic_non_identity_permutation() {
        for n in 0..8 {
            for seed in 0..50 {
                let p = shuffled(n, seed);
                let mut sorted = p.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, (0..n).collect::<Vec<_>>());
                assert_eq!(p, shuffled(n, seed));
                if n >= 2 {
                    assert!(p.iter().enumerate().any(|(i, &v)| i != v));
                }
            }
        }
    }
}
