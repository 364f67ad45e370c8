//! The in-memory shape of course packages and curricula.
//!
//! These types are what the rest of Somu sees. They hold no file-format
//! details (spans, raw TOML), so two packages compare equal exactly when
//! their content is the same; that is what the round-trip law relies on.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Who a course or track is written for. The closed set of audience
/// profiles from the product specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Audience {
    /// Vision, investment and measurement.
    Leadership,
    /// Accountability, managing the social employee, information flow.
    Management,
    /// Rules of engagement and day-to-day practice.
    Practitioner,
    /// Security, systems and data.
    Infrastructure,
    /// Awareness, culture and partners.
    Observer,
}

impl Audience {
    /// Every audience, in the order tracks are listed.
    pub const ALL: [Audience; 5] = [
        Audience::Leadership,
        Audience::Management,
        Audience::Practitioner,
        Audience::Infrastructure,
        Audience::Observer,
    ];

    /// The lower-case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Leadership => "leadership",
            Audience::Management => "management",
            Audience::Practitioner => "practitioner",
            Audience::Infrastructure => "infrastructure",
            Audience::Observer => "observer",
        }
    }
}

/// Course depth: how much a learner is expected to know before starting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// No prior knowledge assumed.
    Introductory,
    /// Assumes the foundations course or equivalent experience.
    Intermediate,
    /// Professional depth, as in the certification programmes.
    Advanced,
}

impl Level {
    /// The lower-case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Introductory => "introductory",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }
}

/// The ten topic areas of the curriculum, plus the learner orientation.
/// Modules and item-bank questions are tagged with topics so coverage and
/// learning gain can be reported per topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Topic {
    /// What social media is, and the business case for it.
    BusinessCase,
    /// The organisation's own goals for social media.
    Goals,
    /// Cultural perspective on social media in the organisation.
    Culture,
    /// Engagement guidelines and policies, and why they are so.
    Guidelines,
    /// Roles and responsibilities: who does what.
    Roles,
    /// Where the business uses social media, and why.
    Applications,
    /// Measurement and accountability: benchmarks and data gathering.
    Measurement,
    /// Information flow, decisions and escalation.
    InformationFlow,
    /// Systems and tools.
    Systems,
    /// Feedback loops and continuous improvement.
    Feedback,
    /// The learner orientation: my role, what I may say, disclosure.
    Orientation,
}

impl Topic {
    /// The ten curriculum topics (without the orientation).
    pub const CORE: [Topic; 10] = [
        Topic::BusinessCase,
        Topic::Goals,
        Topic::Culture,
        Topic::Guidelines,
        Topic::Roles,
        Topic::Applications,
        Topic::Measurement,
        Topic::InformationFlow,
        Topic::Systems,
        Topic::Feedback,
    ];

    /// The kebab-case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::BusinessCase => "business-case",
            Topic::Goals => "goals",
            Topic::Culture => "culture",
            Topic::Guidelines => "guidelines",
            Topic::Roles => "roles",
            Topic::Applications => "applications",
            Topic::Measurement => "measurement",
            Topic::InformationFlow => "information-flow",
            Topic::Systems => "systems",
            Topic::Feedback => "feedback",
            Topic::Orientation => "orientation",
        }
    }
}

/// How a question is answered and graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QuestionKind {
    /// Exactly one option is correct.
    Single,
    /// One or more options are correct; all must be chosen.
    Multiple,
    /// Two options ("True", "False"), exactly one correct.
    TrueFalse,
    /// Options are listed in their correct order; the learner sees them shuffled.
    Ordering,
    /// Free text graded by an instructor using the rubric.
    ShortText,
}

impl QuestionKind {
    /// The snake_case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::TrueFalse => "true_false",
            QuestionKind::Ordering => "ordering",
            QuestionKind::ShortText => "short_text",
        }
    }
}

/// A name in a file that is not one of the allowed values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not one of: {allowed}")]
pub struct UnknownName {
    /// What was written.
    pub value: String,
    /// The allowed values, comma-separated.
    pub allowed: String,
}

macro_rules! name_enum {
    ($ty:ty, $all:expr) => {
        impl FromStr for $ty {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $all.iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| UnknownName {
                        value: s.to_owned(),
                        allowed: $all
                            .iter()
                            .map(|v| v.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    })
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

name_enum!(Audience, Audience::ALL);
name_enum!(
    Level,
    [Level::Introductory, Level::Intermediate, Level::Advanced]
);
name_enum!(
    Topic,
    [
        Topic::BusinessCase,
        Topic::Goals,
        Topic::Culture,
        Topic::Guidelines,
        Topic::Roles,
        Topic::Applications,
        Topic::Measurement,
        Topic::InformationFlow,
        Topic::Systems,
        Topic::Feedback,
        Topic::Orientation,
    ]
);
name_enum!(
    QuestionKind,
    [
        QuestionKind::Single,
        QuestionKind::Multiple,
        QuestionKind::TrueFalse,
        QuestionKind::Ordering,
        QuestionKind::ShortText,
    ]
);

/// One answer option of a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizOption {
    /// The text shown to the learner.
    pub text: String,
    /// Whether choosing it is right. Always `false` for ordering questions,
    /// whose correct answer is the order of the options.
    pub correct: bool,
    /// Why this option is right or wrong, shown after answering.
    pub explanation: String,
}

/// One question, in a module quiz or in the item bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Stable id, unique within its quiz (or across the item bank).
    pub id: String,
    /// How it is answered.
    pub kind: QuestionKind,
    /// The question text (Markdown).
    pub prompt: String,
    /// Answer options; empty for short-text questions.
    pub options: Vec<QuizOption>,
    /// For short-text questions: what the instructor looks for.
    pub rubric: Option<String>,
}

/// The quiz that closes a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quiz {
    /// Path inside the course package, e.g. `quizzes/why-it-matters.toml`.
    pub file: String,
    /// Title shown above the quiz.
    pub title: String,
    /// Percentage of points needed to pass, 0–100.
    pub pass_mark: u8,
    /// Attempts a learner may take (1–20); none = unlimited.
    pub attempts: Option<u8>,
    /// The questions, in order.
    pub questions: Vec<Question>,
}

/// A lesson: Markdown text with a title from the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    /// Path inside the course package, e.g. `lessons/01-why.md`.
    pub file: String,
    /// Title shown in navigation.
    pub title: String,
    /// Estimated reading and exercise time in minutes.
    pub minutes: u32,
    /// The Markdown text exactly as stored.
    pub body: String,
}

/// A module: ordered lessons closed by a quiz.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    /// Unique within the course.
    pub slug: String,
    /// Title shown in navigation.
    pub title: String,
    /// Topic areas the module covers (at least one).
    pub topics: Vec<Topic>,
    /// Lessons in reading order.
    pub lessons: Vec<Lesson>,
    /// The module quiz.
    pub quiz: Quiz,
}

/// A course package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    /// Unique id; also the folder name inside a curriculum.
    pub slug: String,
    /// Title.
    pub title: String,
    /// One-paragraph summary.
    pub summary: String,
    /// Audiences the course is written for (at least one).
    pub audiences: Vec<Audience>,
    /// Depth.
    pub level: Level,
    /// Estimated total time in minutes.
    pub estimated_minutes: u32,
    /// Content version chosen by the author, e.g. `1.0.0`.
    pub version: String,
    /// BCP 47 language tag, e.g. `en`.
    pub language: String,
    /// Modules in order.
    pub modules: Vec<Module>,
    /// Files under `assets/`, keyed by their path inside the package.
    pub assets: BTreeMap<String, Vec<u8>>,
}

/// A question of the item bank, tagged for per-topic reporting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Topic the item measures.
    pub topic: Topic,
    /// The question; its id is the item id.
    pub question: Question,
}

/// One file of the item bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemBankFile {
    /// Path inside the curriculum, e.g. `item-bank/practitioner.toml`.
    pub file: String,
    /// Items in order.
    pub items: Vec<Item>,
}

/// A learning track: the ordered courses for one audience, with the
/// pre-test and post-test both drawn from `test_items` so the difference
/// between the two scores is the learning gain (Kirkpatrick level 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Track {
    /// The audience the track is for (one track per audience).
    pub audience: Audience,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Course slugs in order.
    pub courses: Vec<String>,
    /// Item-bank ids used for both pre-test and post-test.
    pub test_items: Vec<String>,
    /// Post-test pass mark in percent.
    pub pass_mark: u8,
}

/// A certification programme's content requirements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certification {
    /// Unique id.
    pub slug: String,
    /// Title, e.g. "Social Media Manager".
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Planned length in weeks.
    pub duration_weeks: u32,
    /// Course slugs in order.
    pub courses: Vec<String>,
    /// Item-bank ids that make up the written exam.
    pub exam_items: Vec<String>,
    /// Exam pass mark in percent.
    pub exam_pass_mark: u8,
    /// What the graded capstone project asks for (Markdown).
    pub capstone: String,
}

/// Identity of a curriculum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurriculumInfo {
    /// Unique id.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Content version.
    pub version: String,
    /// BCP 47 language tag.
    pub language: String,
}

/// A whole curriculum: tracks, courses, item bank and certifications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Curriculum {
    /// Identity.
    pub info: CurriculumInfo,
    /// Placeholders lessons may use (`org.name` → what to fill in).
    pub placeholders: BTreeMap<String, String>,
    /// One track per audience.
    pub tracks: Vec<Track>,
    /// Certification programmes.
    pub certifications: Vec<Certification>,
    /// Courses, ordered by slug (their folder order).
    pub courses: Vec<Course>,
    /// Item bank files, ordered by path.
    pub item_bank: Vec<ItemBankFile>,
}

impl Curriculum {
    /// The course with this slug.
    pub fn course(&self, slug: &str) -> Option<&Course> {
        self.courses.iter().find(|c| c.slug == slug)
    }

    /// The item-bank item with this id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.item_bank
            .iter()
            .flat_map(|f| f.items.iter())
            .find(|i| i.question.id == id)
    }

    /// The track for an audience.
    pub fn track(&self, audience: Audience) -> Option<&Track> {
        self.tracks.iter().find(|t| t.audience == audience)
    }

    /// The items of an audience's pre-test and post-test (the same items
    /// for both), in the track's order; empty if there is no such track.
    pub fn test_for(&self, audience: Audience) -> Vec<&Item> {
        self.track(audience)
            .map(|t| t.test_items.iter().filter_map(|id| self.item(id)).collect())
            .unwrap_or_default()
    }
}

/// What a folder or zip holds: one course, or a whole curriculum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Package {
    /// A folder with `course.toml` at its root.
    Course(Course),
    /// A folder with `curriculum.toml` at its root.
    Curriculum(Curriculum),
}
