//! Learning records as xAPI 1.0.3 statements: the single record of what a person did in Somu's
//! learning areas (lessons, quizzes, tests, sessions, exams, capstones). Progress views,
//! certification requirements and analytics all read from it; a Learning Record Store can be fed
//! from it unchanged.
//!
//! A statement is stored as columns (so it can be queried) and rendered to xAPI JSON on the way
//! out by [`Statement::to_xapi`]. Verbs come from the ADL vocabulary.

use crate::ids::PersonId;
use serde_json::{json, Map, Value};

crate::closed_set!(
    /// What a person did: a verb of the ADL vocabulary (`http://adlnet.gov/expapi/verbs/<code>`).
    Verb {
        /// Opened a course, lesson or quiz.
        Launched = "launched",
        /// Read or watched a lesson to its end.
        Experienced = "experienced",
        /// Answered one question.
        Answered = "answered",
        /// Started an attempt at a quiz, test or exam.
        Attempted = "attempted",
        /// Passed a quiz, test, exam or capstone.
        Passed = "passed",
        /// Failed a quiz, test, exam or capstone.
        Failed = "failed",
        /// Completed a course, module or track.
        Completed = "completed",
        /// Registered for an instructor-led session.
        Registered = "registered",
        /// Attended an instructor-led session.
        Attended = "attended",
    }
);

impl Verb {
    /// The verb's IRI in the ADL vocabulary.
    pub fn iri(self) -> String {
        format!("http://adlnet.gov/expapi/verbs/{}", self.code())
    }
}

crate::closed_set!(
    /// The kind of thing a statement is about.
    ActivityKind {
        /// A course (key: course slug).
        Course = "course",
        /// A module of a course (key: `course/module`).
        Module = "module",
        /// A lesson (key: `course/module/lesson`).
        Lesson = "lesson",
        /// A module quiz (key: `course/module`).
        Quiz = "quiz",
        /// A question of a quiz or test (key: `<quiz or test key>/<question id>`).
        Question = "question",
        /// A track: an audience's ordered set of courses (key: track slug).
        Track = "track",
        /// A track's pre-test or post-test (key: `track/pre` or `track/post`).
        Test = "test",
        /// An instructor-led session (key: session id).
        Session = "session",
        /// A certification exam (key: programme slug).
        Exam = "exam",
        /// A certification programme (key: programme slug).
        Programme = "programme",
        /// A capstone project (key: programme slug).
        Capstone = "capstone",
    }
);

impl ActivityKind {
    /// The xAPI activity type IRI.
    pub fn type_iri(self) -> &'static str {
        match self {
            ActivityKind::Course | ActivityKind::Track | ActivityKind::Programme => {
                "http://adlnet.gov/expapi/activities/course"
            }
            ActivityKind::Module => "http://adlnet.gov/expapi/activities/module",
            ActivityKind::Lesson => "http://adlnet.gov/expapi/activities/lesson",
            ActivityKind::Quiz | ActivityKind::Test | ActivityKind::Exam => {
                "http://adlnet.gov/expapi/activities/assessment"
            }
            ActivityKind::Question => "http://adlnet.gov/expapi/activities/cmi.interaction",
            ActivityKind::Session => "http://adlnet.gov/expapi/activities/meeting",
            ActivityKind::Capstone => "http://adlnet.gov/expapi/activities/performance",
        }
    }
}

/// The outcome part of a statement; every field optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Score scaled to [0, 1] (or [-1, 1] as xAPI allows).
    pub scaled: Option<f64>,
    /// Raw score.
    pub raw: Option<f64>,
    /// Highest possible raw score.
    pub max: Option<f64>,
    /// Whether it was a success (passed).
    pub success: Option<bool>,
    /// Whether the activity was completed.
    pub completion: Option<bool>,
    /// Time spent, in milliseconds.
    pub duration_ms: Option<i64>,
    /// The learner's response (for `answered`).
    pub response: Option<String>,
}

/// A statement about to be recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct NewStatement {
    /// Who (a person of the organisation).
    pub person: PersonId,
    /// Did what.
    pub verb: Verb,
    /// To what kind of thing.
    pub kind: ActivityKind,
    /// Which one: a stable key within the organisation (see [`ActivityKind`]).
    pub key: String,
    /// Its display name (e.g. the lesson title), kept for reports and the xAPI definition.
    pub name: String,
    /// The enclosing activity (a lesson's course, a question's quiz), if any.
    pub parent: Option<(ActivityKind, String)>,
    /// Groups the statements of one enrolment or attempt (xAPI `context.registration`).
    pub registration: Option<String>,
    /// The outcome.
    pub outcome: Outcome,
    /// When it happened (Unix seconds).
    pub at: i64,
}

/// A statement as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// Number within the organisation.
    pub id: i64,
    /// The statement's UUID (xAPI `id`).
    pub uuid: String,
    /// What was recorded.
    pub body: NewStatement,
    /// When Somu stored it (Unix seconds).
    pub stored: i64,
}

/// Where the statement is rendered: the site address and the organisation, so IRIs are stable.
#[derive(Debug, Clone, Copy)]
pub struct XapiContext<'a> {
    /// Somu's public base URL without a trailing slash.
    pub base_url: &'a str,
    /// The organisation's slug.
    pub org_slug: &'a str,
}

impl XapiContext<'_> {
    /// The IRI of an activity.
    pub fn activity_iri(&self, kind: ActivityKind, key: &str) -> String {
        format!(
            "{}/o/{}/xapi/activities/{}/{}",
            self.base_url,
            self.org_slug,
            kind.code(),
            key
        )
    }
}

/// An ISO 8601 duration (`PT1H2M3.5S`) for a number of milliseconds, as xAPI expects.
pub fn iso_duration(ms: i64) -> String {
    let ms = ms.max(0);
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let (s, frac) = (rest / 1000, rest % 1000);
    let mut out = String::from("PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if frac > 0 {
        let digits = format!("{frac:03}");
        out.push_str(&format!("{s}.{}S", digits.trim_end_matches('0')));
    } else if s > 0 || (h == 0 && m == 0) {
        out.push_str(&format!("{s}S"));
    }
    out
}

fn rfc3339(unix: i64) -> String {
    crate::time_util::from_unix(unix)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl Statement {
    /// The statement as xAPI 1.0.3 JSON. The actor is identified by an account on this Somu
    /// (`homePage` = base URL, `name` = `<org>/<person id>`), never by email, so that a changed
    /// address does not split a person's record.
    pub fn to_xapi(&self, cx: XapiContext<'_>, person_name: &str) -> Value {
        let b = &self.body;
        let mut st = Map::new();
        st.insert("id".into(), json!(self.uuid));
        st.insert(
            "actor".into(),
            json!({
                "objectType": "Agent",
                "name": person_name,
                "account": { "homePage": cx.base_url, "name": format!("{}/{}", cx.org_slug, b.person.0) },
            }),
        );
        st.insert(
            "verb".into(),
            json!({ "id": b.verb.iri(), "display": { "en-US": b.verb.code() } }),
        );
        st.insert(
            "object".into(),
            json!({
                "objectType": "Activity",
                "id": cx.activity_iri(b.kind, &b.key),
                "definition": { "name": { "en-US": b.name }, "type": b.kind.type_iri() },
            }),
        );
        let o = &b.outcome;
        let mut result = Map::new();
        let mut score = Map::new();
        for (k, v) in [("scaled", o.scaled), ("raw", o.raw), ("max", o.max)] {
            if let Some(v) = v {
                score.insert(k.into(), json!(v));
            }
        }
        if o.raw.is_some() || o.max.is_some() {
            score.insert("min".into(), json!(0));
        }
        if !score.is_empty() {
            result.insert("score".into(), Value::Object(score));
        }
        if let Some(s) = o.success {
            result.insert("success".into(), json!(s));
        }
        if let Some(c) = o.completion {
            result.insert("completion".into(), json!(c));
        }
        if let Some(r) = &o.response {
            result.insert("response".into(), json!(r));
        }
        if let Some(d) = o.duration_ms {
            result.insert("duration".into(), json!(iso_duration(d)));
        }
        if !result.is_empty() {
            st.insert("result".into(), Value::Object(result));
        }
        let mut context = Map::new();
        context.insert("platform".into(), json!("Somu"));
        if let Some(r) = &b.registration {
            context.insert("registration".into(), json!(r));
        }
        if let Some((kind, key)) = &b.parent {
            context.insert(
                "contextActivities".into(),
                json!({ "parent": [{ "objectType": "Activity", "id": cx.activity_iri(*kind, key) }] }),
            );
        }
        st.insert("context".into(), Value::Object(context));
        st.insert("timestamp".into(), json!(rfc3339(b.at)));
        st.insert("stored".into(), json!(rfc3339(self.stored)));
        st.insert("version".into(), json!("1.0.3"));
        Value::Object(st)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_iso_8601() {
        assert_eq!(iso_duration(0), "PT0S");
        assert_eq!(iso_duration(45_000), "PT45S");
        assert_eq!(iso_duration(3_723_500), "PT1H2M3.5S");
        assert_eq!(iso_duration(120_000), "PT2M");
        assert_eq!(iso_duration(1_250), "PT1.25S");
    }

    #[test]
    fn a_passed_quiz_renders_as_xapi() {
        let st = Statement {
            id: 1,
            uuid: "6f1c2a4e-0000-4000-8000-000000000001".into(),
            body: NewStatement {
                person: PersonId(7),
                verb: Verb::Passed,
                kind: ActivityKind::Quiz,
                key: "orientation/why".into(),
                name: "Why it matters".into(),
                parent: Some((ActivityKind::Course, "orientation".into())),
                registration: None,
                outcome: Outcome {
                    scaled: Some(0.8),
                    raw: Some(4.0),
                    max: Some(5.0),
                    success: Some(true),
                    completion: Some(true),
                    duration_ms: Some(90_000),
                    response: None,
                },
                at: 1_700_000_000,
            },
            stored: 1_700_000_001,
        };
        let cx = XapiContext {
            base_url: "https://somu.example",
            org_slug: "acme",
        };
        let v = st.to_xapi(cx, "Ada");
        assert_eq!(v["verb"]["id"], "http://adlnet.gov/expapi/verbs/passed");
        assert_eq!(
            v["object"]["id"],
            "https://somu.example/o/acme/xapi/activities/quiz/orientation/why"
        );
        assert_eq!(v["actor"]["account"]["name"], "acme/7");
        assert_eq!(v["result"]["score"]["scaled"], 0.8);
        assert_eq!(v["result"]["success"], true);
        assert_eq!(v["result"]["duration"], "PT1M30S");
        assert_eq!(
            v["context"]["contextActivities"]["parent"][0]["id"],
            "https://somu.example/o/acme/xapi/activities/course/orientation"
        );
        assert_eq!(v["timestamp"], "2023-11-14T22:13:20Z");
        assert_eq!(v["version"], "1.0.3");
    }
}
